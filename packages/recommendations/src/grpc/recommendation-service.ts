import { status as Status } from '@grpc/grpc-js';
import type { Book, ListBooksResponse, RecommendationServiceServer, RecommendResponse } from '@bookstore/contracts';
import type { Logger } from 'pino';
import type { CatalogBook } from '../domain/books';
import type { Recommender } from '../domain/recommender';
import { createHandlerAdapters } from './handler-adapters';

function toWireBook(book: CatalogBook): Book {
  return { id: book.id, title: book.title, author: book.author, category: book.category };
}

function toRecommendResponse(books: readonly CatalogBook[]): RecommendResponse {
  return {
    recommendations: books.map((book) => ({ id: book.id, title: book.title, becauseOfBookId: 0, becauseOfTitle: '' })),
  };
}

/**
 * The generated RecommendationService interface, implemented over the domain recommender.
 * Handlers only translate messages: validation and errors belong to the domain and the adapters.
 */
export function createRecommendationService(options: {
  recommender: Recommender;
  logger: Logger;
  /** ListBooks streams open at once, over every connection (config.maxListBooksStreams). */
  maxListBooksStreams?: number;
}): RecommendationServiceServer {
  const { recommender } = options;
  const { unary, serverStream } = createHandlerAdapters(options.logger);
  return {
    recommend: unary((request): RecommendResponse | Promise<RecommendResponse> => {
      const books = recommender.recommend({
        userId: request.userId,
        category: request.category,
        maxResults: request.maxResults,
      });
      return Array.isArray(books) ? toRecommendResponse(books) : books.then(toRecommendResponse);
    }),
    listBooks: serverStream(
      function* listBooks(request): Generator<ListBooksResponse> {
        const books = recommender.listBooks({
          category: request.category,
          startAfterId: request.startAfterId,
          endBeforeId: request.endBeforeId,
          limit: request.limit,
        });
        for (const book of books) yield { book: toWireBook(book) };
      },
      { maxOpen: options.maxListBooksStreams, name: 'ListBooks streams' },
    ),
    // Contract added ahead of the implementation (issues #23, #24): answered UNIMPLEMENTED until then.
    getBook: (_call, callback) => callback({ code: Status.UNIMPLEMENTED, details: 'GetBook is not implemented yet' }),
    recordEvents: (call) =>
      call.emit('error', { code: Status.UNIMPLEMENTED, details: 'RecordEvents is not implemented yet' }),
    importEvents: (_call, callback) =>
      callback({ code: Status.UNIMPLEMENTED, details: 'ImportEvents is not implemented yet' }),
  };
}
