import {
  type Book,
  BookCategory,
  type BookRecommendation,
  CATALOG_VERSION_METADATA,
  ListBooksRequest,
  type ListBooksResponse,
  type RecordEventsRequest,
  type RecordEventsResponse,
} from '@bookstore/contracts';
import {
  type ClientDuplexStream,
  credentials,
  type Interceptor,
  Metadata,
  type ServiceError,
  type StatusObject,
  status as Status,
} from '@grpc/grpc-js';
import { REQUEST_ID_HEADER } from '@bookstore/service-kit';
import { createRecommendationsChannels, type HedgingOptions } from './channels';
import type { ChannelSecurity } from './credentials';
import { type CallContext, failed, settleFailure } from './failures';

// The failure policy lives in its own module; these names were always imported from here.
export { type CallContext, isUnavailable, RecommendationsCallError, UNAVAILABLE_CODES } from './failures';

/** What a call came to, for a route to render: the answer, or Recommendations is unavailable. */
export type CallOutcome<T> = { readonly available: true; readonly value: T } | { readonly available: false };

/** What GetBook answers. */
export interface BookDetails {
  readonly book: Book;
  readonly alsoViewed: BookRecommendation[];
}

/** Which books ListBooks streams: ListBooksRequest's fields (docs in the proto); unset means all. */
export interface BookWindow {
  readonly category?: BookCategory;
  readonly startAfterId?: number;
  readonly endBeforeId?: number;
  readonly limit?: number;
}

/** What ListBooks answered: the books, and the version of the catalog they came from. */
export interface ListedBooks {
  readonly books: Book[];
  /** The answering replica's `catalog-version` trailer; undefined from a server that sends none. */
  readonly catalogVersion: string | undefined;
}

export interface RecommendationsClient {
  recommend(
    query: { userId: number; category: BookCategory; maxResults: number },
    context?: CallContext,
  ): Promise<CallOutcome<BookRecommendation[]>>;
  /** A window of the catalog (or of one category), read from the ListBooks stream; see BookWindow. */
  listBooks(window?: BookWindow, context?: CallContext): Promise<CallOutcome<ListedBooks>>;
  /** One book and what its readers also viewed; `undefined` when the catalog has no such id. */
  getBook(bookId: number, context?: CallContext): Promise<CallOutcome<BookDetails | undefined>>;
  /**
   * Opens a RecordEvents stream, with no deadline: it lives as long as the process (the
   * reader-events sender owns it, and reopens it after a failure).
   */
  openRecordEvents(): ClientDuplexStream<RecordEventsRequest, RecordEventsResponse>;
  /**
   * Connects to Recommendations now instead of on the first call, whose deadline the connection
   * (name resolution, TCP, a TLS handshake) would spend: true once connected, false when
   * `deadline` passes first.
   */
  waitForReady(deadline: Date): Promise<boolean>;
  close(): void;
}

/**
 * The one module that calls Recommendations: one channel for the process lifetime (two with
 * hedging: recommendations/channels.ts), a deadline on every call, and every failure judged by
 * the policy above.
 */
export function createRecommendationsClient(options: {
  address: string;
  timeoutMs: number;
  /**
   * Client interceptors (the client metrics), outermost first. Tracing is none of them:
   * OpenTelemetry patches grpc-js itself (tracing.ts).
   */
  interceptors?: Interceptor[];
  /** TLS credentials and options (recommendations/credentials.ts); plaintext without. */
  security?: ChannelSecurity;
  /** Hedging of Recommend and GetBook (recommendations/channels.ts); off without. */
  hedging?: HedgingOptions;
  /** Told the catalog version of every ListBooks answer that names one (recommendations/catalog-versions.ts logs them). */
  onCatalogVersion?: (version: string) => void;
}): RecommendationsClient {
  const security = options.security;
  const channels = createRecommendationsChannels({
    address: options.address,
    credentials: security?.credentials ?? credentials.createInsecure(),
    channelOptions: security?.channelOptions ?? {},
    interceptors: options.interceptors ?? [],
    hedging: options.hedging,
  });
  // Calls that are never hedged (ListBooks, the RecordEvents stream) take the main channel.
  const client = channels.main;
  const succeeded = security === undefined ? () => undefined : () => security.callSucceeded();
  const callOptions = () => ({ deadline: Date.now() + options.timeoutMs });
  const metadataFor = (requestId: string | undefined) => {
    const metadata = new Metadata();
    if (requestId !== undefined) metadata.set(REQUEST_ID_HEADER, requestId);
    return metadata;
  };

  return {
    recommend: (query, context) =>
      new Promise((resolve, reject) => {
        channels
          .forHedgeableCall()
          .recommend(query, metadataFor(context?.requestId), callOptions(), (error, response) => {
            if (!error) {
              succeeded();
              resolve({ available: true, value: response.recommendations });
              return;
            }
            settleFailure(failed('Recommend', error, context), resolve, reject);
          });
      }),
    listBooks: (window = {}, context) =>
      new Promise((resolve, reject) => {
        const books: Book[] = [];
        const request = ListBooksRequest.create({ category: BookCategory.BOOK_CATEGORY_UNSPECIFIED, ...window });
        const stream = client.listBooks(request, metadataFor(context?.requestId), callOptions());
        stream.on('data', (message: ListBooksResponse) => {
          if (message.book) books.push(message.book);
        });
        let failedAlready = false;
        let ended = false;
        let trailers: StatusObject | undefined;
        // The version comes in the trailers, which grpc-js reports apart from the stream's end
        // (either may come first): the answer is complete when both have come.
        const settle = () => {
          if (failedAlready || !ended || trailers === undefined) return;
          succeeded();
          const named = trailers.metadata.get(CATALOG_VERSION_METADATA)[0];
          const catalogVersion = typeof named === 'string' ? named : undefined;
          if (catalogVersion !== undefined) options.onCatalogVersion?.(catalogVersion);
          resolve({ available: true, value: { books, catalogVersion } });
        };
        stream.on('error', (error: ServiceError) => {
          failedAlready = true;
          settleFailure(failed('ListBooks', error, context), resolve, reject);
        });
        stream.on('status', (status: StatusObject) => {
          trailers = status;
          settle();
        });
        // grpc-js may also end a stream that failed.
        stream.on('end', () => {
          ended = true;
          settle();
        });
      }),
    getBook: (bookId, context) =>
      new Promise((resolve, reject) => {
        channels
          .forHedgeableCall()
          .getBook({ bookId }, metadataFor(context?.requestId), callOptions(), (error, response) => {
            if (!error) {
              succeeded();
              const { book, alsoViewed } = response;
              resolve({ available: true, value: book === undefined ? undefined : { book, alsoViewed } });
              return;
            }
            // An answer, not a failure: the page says so with a 404.
            if (error.code === Status.NOT_FOUND) {
              succeeded();
              resolve({ available: true, value: undefined });
              return;
            }
            settleFailure(failed('GetBook', error, context), resolve, reject);
          });
      }),
    openRecordEvents: () => client.recordEvents(),
    waitForReady: (deadline) => channels.waitForReady(deadline),
    close: () => channels.close(),
  };
}
