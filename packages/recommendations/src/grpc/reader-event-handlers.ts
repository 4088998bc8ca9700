import type {
  GetBookRequest,
  GetBookResponse,
  RecommendationServiceServer,
  RecordEventsRequest,
  RecordEventsResponse,
} from '@bookstore/contracts';
import type { BookPages } from '../domain/book-pages';
import type { EventRecorder } from '../domain/event-recorder';
import type { createHandlerAdapters } from './handler-adapters';
import { toWireBook, toWireRecommendation } from './wire-messages';

export interface ReaderEventServices {
  readonly bookPages: BookPages;
  readonly recorder: EventRecorder;
  /** RecordEvents streams open at once, over every connection (config.maxRecordEventsStreams). */
  readonly maxRecordEventsStreams?: number;
  /** Aborted when the server starts shutting down: open RecordEvents streams end between batches. */
  readonly draining?: AbortSignal;
}

/** GetBook and RecordEvents over the domain: translation only. */
export function createReaderEventHandlers(
  services: ReaderEventServices,
  adapters: ReturnType<typeof createHandlerAdapters>,
): Pick<RecommendationServiceServer, 'getBook' | 'recordEvents'> {
  const { bookPages, recorder } = services;
  return {
    getBook: adapters.unary(async (request: GetBookRequest): Promise<GetBookResponse> => {
      const { book, alsoViewed } = await bookPages.getBook(request.bookId);
      return { book: toWireBook(book), alsoViewed: alsoViewed.map(toWireRecommendation) };
    }),
    recordEvents: adapters.bidiStream(
      async (request: RecordEventsRequest): Promise<RecordEventsResponse> => recorder.record(request.events),
      { maxOpen: services.maxRecordEventsStreams, name: 'RecordEvents streams', draining: services.draining },
    ),
  };
}
