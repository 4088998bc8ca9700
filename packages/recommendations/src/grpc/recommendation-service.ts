import { status as Status } from '@grpc/grpc-js';
import type { ListBooksResponse, RecommendationServiceServer, RecommendResponse } from '@bookstore/contracts';
import type { Logger } from 'pino';
import type { RecommendedBook, Recommender } from '../domain/recommender';
import { createHandlerAdapters } from './handler-adapters';
import { createImportHandler, type ImportServices } from './import-handler';
import { createReaderEventHandlers, type ReaderEventServices } from './reader-event-handlers';
import { toWireBook, toWireRecommendation } from './wire-messages';

function toRecommendResponse(books: readonly RecommendedBook[]): RecommendResponse {
  return { recommendations: books.map(toWireRecommendation) };
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
  /** GetBook and RecordEvents; without them (no event store) both answer UNIMPLEMENTED. */
  readerEvents?: ReaderEventServices;
  /** ImportEvents; without it (no event store) it answers UNIMPLEMENTED. */
  imports?: ImportServices;
}): RecommendationServiceServer {
  const { recommender } = options;
  const adapters = createHandlerAdapters(options.logger);
  const { unary, serverStream } = adapters;
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
    ...(options.readerEvents === undefined
      ? {
          getBook: (_call, callback) =>
            callback({ code: Status.UNIMPLEMENTED, details: 'GetBook needs an event store; none was given' }),
          recordEvents: (call) =>
            call.emit('error', {
              code: Status.UNIMPLEMENTED,
              details: 'RecordEvents needs an event store; none was given',
            }),
        }
      : createReaderEventHandlers(options.readerEvents, adapters)),
    importEvents:
      options.imports === undefined
        ? (_call, callback) =>
            callback({ code: Status.UNIMPLEMENTED, details: 'ImportEvents needs an event store; none was given' })
        : createImportHandler(options.imports, options.logger),
  };
}
