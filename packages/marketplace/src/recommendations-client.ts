import {
  type Book,
  BookCategory,
  type BookRecommendation,
  ListBooksRequest,
  type ListBooksResponse,
  RecommendationServiceClient,
} from '@bookstore/contracts';
import {
  type ChannelOptions,
  credentials,
  type Interceptor,
  Metadata,
  type ServiceError,
  status as Status,
} from '@grpc/grpc-js';
import type { ChannelSecurity } from './recommendations-credentials';

/** A failed call to Recommendations, with the gRPC code that ended it. */
export class RecommendationsError extends Error {
  constructor(
    readonly code: Status,
    details: string,
  ) {
    super(`recommendations call failed: ${Status[code] ?? code}: ${details}`);
    this.name = 'RecommendationsError';
  }

  /** The code's name as logs and metrics write it, e.g. DEADLINE_EXCEEDED. */
  get codeName(): string {
    return Status[this.code] ?? String(this.code);
  }
}

/** Which books ListBooks streams: ListBooksRequest's fields (docs in the proto); unset means all. */
export interface BookWindow {
  readonly category?: BookCategory;
  readonly startAfterId?: number;
  readonly endBeforeId?: number;
  readonly limit?: number;
}

export interface RecommendationsClient {
  recommend(
    query: { userId: number; category: BookCategory; maxResults: number },
    requestId?: string,
  ): Promise<BookRecommendation[]>;
  /** A window of the catalog (or of one category), read from the ListBooks stream; see BookWindow. */
  listBooks(window?: BookWindow, requestId?: string): Promise<Book[]>;
  close(): void;
}

/**
 * Spread calls over every address the target resolves to, and retry only what is safe to retry
 * (UNAVAILABLE: the call never reached a handler). See docs/operations.md for each value.
 */
const SERVICE_CONFIG = {
  loadBalancingConfig: [{ round_robin: {} }],
  methodConfig: [
    {
      name: [{ service: 'bookstore.recommendations.v1.RecommendationService' }],
      retryPolicy: {
        maxAttempts: 3,
        initialBackoff: '0.01s',
        maxBackoff: '0.1s',
        backoffMultiplier: 2,
        retryableStatusCodes: ['UNAVAILABLE'],
      },
    },
  ],
  retryThrottling: { maxTokens: 10, tokenRatio: 0.1 },
};

const CHANNEL_OPTIONS: ChannelOptions = {
  'grpc.service_config': JSON.stringify(SERVICE_CONFIG),
  // Pings detect a dead connection (a pod gone without closing TCP) within ~35 s.
  'grpc.keepalive_time_ms': 30_000,
  'grpc.keepalive_timeout_ms': 5_000,
  // Reconnect quickly after an outage: the page recovers within ~2 s of a replica coming back
  // (grpc-js' default backoff grows to 120 s).
  'grpc.initial_reconnect_backoff_ms': 250,
  'grpc.max_reconnect_backoff_ms': 2_000,
  // Re-resolve dns:/// targets soon after a replica fails, so replaced pods are found quickly.
  'grpc.dns_min_time_between_resolutions_ms': 2_000,
};

function toError(error: ServiceError): RecommendationsError {
  return new RecommendationsError(error.code, error.details);
}

/**
 * The one module that calls Recommendations: one channel for the process lifetime, a deadline on
 * every call, and every failure turned into a RecommendationsError.
 */
export function createRecommendationsClient(options: {
  address: string;
  timeoutMs: number;
  /** Client interceptors (metrics, tracing), outermost first. */
  interceptors?: Interceptor[];
  /** TLS credentials and options (recommendations-credentials.ts); plaintext without. */
  security?: ChannelSecurity;
}): RecommendationsClient {
  const security = options.security;
  const client = new RecommendationServiceClient(
    options.address,
    security?.credentials ?? credentials.createInsecure(),
    {
      ...CHANNEL_OPTIONS,
      ...security?.channelOptions,
      interceptors: options.interceptors ?? [],
    },
  );
  const succeeded = security === undefined ? () => undefined : () => security.callSucceeded();
  const callOptions = () => ({ deadline: Date.now() + options.timeoutMs });
  const metadataFor = (requestId: string | undefined) => {
    const metadata = new Metadata();
    if (requestId !== undefined) metadata.set('x-request-id', requestId);
    return metadata;
  };

  return {
    recommend: (query, requestId) =>
      new Promise((resolve, reject) => {
        client.recommend(query, metadataFor(requestId), callOptions(), (error, response) =>
          error ? reject(toError(error)) : (succeeded(), resolve(response.recommendations)),
        );
      }),
    listBooks: (window = {}, requestId) =>
      new Promise((resolve, reject) => {
        const books: Book[] = [];
        const request = ListBooksRequest.create({ category: BookCategory.BOOK_CATEGORY_UNSPECIFIED, ...window });
        const stream = client.listBooks(request, metadataFor(requestId), callOptions());
        stream.on('data', (message: ListBooksResponse) => {
          if (message.book) books.push(message.book);
        });
        let failed = false;
        stream.on('error', (error: ServiceError) => {
          failed = true;
          reject(toError(error));
        });
        // grpc-js may also end a stream that failed.
        stream.on('end', () => {
          if (failed) return;
          succeeded();
          resolve(books);
        });
      }),
    close: () => client.close(),
  };
}
