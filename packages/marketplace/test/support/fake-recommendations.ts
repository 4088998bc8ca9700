import {
  type Book,
  BookCategory,
  CATALOG_VERSION_METADATA,
  type RecommendRequest,
  type RecommendationServiceServer,
  RecommendationServiceService,
} from '@bookstore/contracts';
import {
  type ChannelOptions,
  Metadata,
  Server,
  ServerCredentials,
  type ServiceError,
  status as Status,
} from '@grpc/grpc-js';
import { readFileSync } from 'node:fs';
import { type FakeEventLog, readerEventHandlers } from './fake-reader-events';

const {
  BOOK_CATEGORY_MYSTERY: MYSTERY,
  BOOK_CATEGORY_SCIENCE_FICTION: SCI_FI,
  BOOK_CATEGORY_SELF_HELP: SELF_HELP,
} = BookCategory;

/**
 * The fake's catalog: nine classics, three a category, in id order, so pages (and `make
 * screenshot`) look like a bookstore. The Marketplace's tests own this list; it is deliberately
 * not Recommendations' catalog, which is that service's business.
 */
export const FAKE_BOOKS: readonly Book[] = (
  [
    [101, 'The Moonstone', 'Wilkie Collins', MYSTERY],
    [102, 'The Mysterious Affair at Styles', 'Agatha Christie', MYSTERY],
    [103, 'The Murders in the Rue Morgue', 'Edgar Allan Poe', MYSTERY],
    [104, 'The Time Machine', 'H. G. Wells', SCI_FI],
    [105, 'Frankenstein', 'Mary Shelley', SCI_FI],
    [106, 'Twenty Thousand Leagues Under the Seas', 'Jules Verne', SCI_FI],
    [107, 'Meditations', 'Marcus Aurelius', SELF_HELP],
    [108, 'Self-Help', 'Samuel Smiles', SELF_HELP],
    [109, 'As a Man Thinketh', 'James Allen', SELF_HELP],
  ] as const
).map(([id, title, author, category]) => ({ id, title, author, category }));

/** What the fake received: the method, its request, and who asked. */
export interface FakeCall {
  readonly method: 'Recommend' | 'ListBooks' | 'GetBook' | 'RecordEvents' | 'ImportEvents';
  readonly request: unknown;
  /** The `x-request-id` metadata. */
  readonly requestId: string | undefined;
  /** The subject CN of the client certificate, under mutual TLS. */
  readonly caller: string | undefined;
}

export interface FakeRecommendations {
  readonly address: string;
  readonly port: number;
  /** Every call received, in order. */
  readonly calls: FakeCall[];
  /** The reader events RecordEvents stored, and a say in how it answers. */
  readonly events: FakeEventLog;
  /**
   * Resolves once `count` calls matching `matches` have arrived (counting those already here);
   * rejects after `timeoutMs` (default 10 s) so a test that waits in vain still cleans up.
   */
  waitForCalls(matches: (call: FakeCall) => boolean, count?: number, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export interface FakeOptions {
  /** The catalog it answers from; FAKE_BOOKS by default. */
  books?: readonly Book[];
  /** Handlers replacing the contract behaviour, e.g. one that answers a status code. */
  handlers?: Partial<RecommendationServiceServer>;
  /** TLS with these files; with `clientCaFile`, a client certificate signed by it is required. */
  tls?: { certFile: string; keyFile: string; clientCaFile?: string };
  /**
   * The `catalog-version` trailer of each ListBooks answer, asked per call (a test changes it to
   * play replicas of two catalogs); none when it answers undefined, as by default.
   */
  catalogVersion?: () => string | undefined;
  /** grpc-js server options, e.g. `grpc.max_connection_age_ms`. */
  serverOptions?: ChannelOptions;
  port?: number;
}

/** A ServiceError as a handler passes it to its callback or emits it. */
export function statusError(code: Status, details = `${Status[code]} from the fake`): ServiceError {
  return Object.assign(new Error(details), { code, details, metadata: undefined as never });
}

/**
 * The contract as the proto documents it, answered from a fixed catalog: Recommend gives the
 * first `max_results` (0: 3) books of the category in catalog order, so tests know what to expect;
 * for a reader with recorded views, co-viewed books first (fake-reader-events.ts).
 */
function contractHandlers(
  books: readonly Book[],
  readerEvents: ReturnType<typeof readerEventHandlers>,
  catalogVersion: () => string | undefined,
) {
  const handlers: RecommendationServiceServer = {
    recommend: (call, callback) => {
      const { userId, category, maxResults } = call.request;
      const wrong = [
        // 0 is an anonymous reader.
        userId < 0 ? `user_id must be >= 0 (got ${userId})` : '',
        maxResults < 0 ? `max_results must be >= 0 (got ${maxResults})` : '',
        category === BookCategory.BOOK_CATEGORY_UNSPECIFIED ? 'category is required' : '',
      ].filter(Boolean);
      if (wrong.length > 0) return callback(statusError(Status.INVALID_ARGUMENT, wrong.join('; ')));
      const inCategory = books.filter((b) => b.category === category);
      if (inCategory.length === 0) return callback(statusError(Status.NOT_FOUND, `no books in category ${category}`));
      const recommendations = readerEvents.personalPicks(userId, inCategory, maxResults === 0 ? 3 : maxResults);
      callback(null, { recommendations });
    },
    // The paging fields as the proto documents them (the fake's catalog is in id order; it does
    // not validate them: Recommendations' own tests cover its INVALID_ARGUMENT answers).
    listBooks: (call) => {
      const { category, startAfterId, endBeforeId, limit } = call.request;
      const window = books.filter(
        (book) =>
          (category === BookCategory.BOOK_CATEGORY_UNSPECIFIED || book.category === category) &&
          book.id > startAfterId &&
          (endBeforeId === 0 || book.id < endBeforeId),
      );
      const answered = limit === 0 ? window : endBeforeId === 0 ? window.slice(0, limit) : window.slice(-limit);
      for (const book of answered) call.write({ book });
      const version = catalogVersion();
      const trailers = new Metadata();
      if (version !== undefined) trailers.set(CATALOG_VERSION_METADATA, version);
      call.end(trailers);
    },
    ...readerEvents.handlers,
    importEvents: (_call, callback) => callback(statusError(Status.UNIMPLEMENTED)),
  };
  return handlers;
}

function callerOf(call: { getAuthContext(): { sslPeerCertificate?: { subject?: { CN?: string | string[] } } } }) {
  const cn = call.getAuthContext().sslPeerCertificate?.subject?.CN;
  return Array.isArray(cn) ? cn[0] : cn;
}

/** A grpc-js server implementing the generated service definition on a free loopback port. */
export async function startFakeRecommendations(options: FakeOptions = {}): Promise<FakeRecommendations> {
  const calls: FakeCall[] = [];
  const waiters = new Set<() => void>();
  const books = options.books ?? FAKE_BOOKS;
  const readerEvents = readerEventHandlers(books);
  const handlers = {
    ...contractHandlers(books, readerEvents, options.catalogVersion ?? (() => undefined)),
    ...options.handlers,
  };
  const record = (
    method: FakeCall['method'],
    call: Parameters<typeof callerOf>[0] & {
      request?: unknown;
      metadata: { get(key: string): unknown[] };
    },
  ) => {
    const requestId = call.metadata.get('x-request-id')[0];
    calls.push({ method, request: call.request, requestId: requestId as string | undefined, caller: callerOf(call) });
    for (const waiter of waiters) waiter();
  };
  const server = new Server(options.serverOptions);
  server.addService(RecommendationServiceService, {
    recommend: (call, callback) => {
      record('Recommend', call);
      handlers.recommend(call, callback);
    },
    listBooks: (call) => {
      record('ListBooks', call);
      handlers.listBooks(call);
    },
    getBook: (call, callback) => {
      record('GetBook', call);
      handlers.getBook(call, callback);
    },
    recordEvents: (call) => {
      record('RecordEvents', call);
      handlers.recordEvents(call);
    },
    importEvents: (call, callback) => {
      record('ImportEvents', call);
      handlers.importEvents(call, callback);
    },
  } satisfies RecommendationServiceServer);
  const { tls } = options;
  const credentials = tls
    ? ServerCredentials.createSsl(
        tls.clientCaFile === undefined ? null : readFileSync(tls.clientCaFile),
        [{ cert_chain: readFileSync(tls.certFile), private_key: readFileSync(tls.keyFile) }],
        tls.clientCaFile !== undefined,
      )
    : ServerCredentials.createInsecure();
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`127.0.0.1:${options.port ?? 0}`, credentials, (e, p) => (e ? reject(e) : resolve(p))),
  );
  return {
    address: `127.0.0.1:${port}`,
    port,
    calls,
    events: readerEvents.log,
    waitForCalls: (matches, count = 1, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`${calls.filter(matches).length} of ${count} calls after ${timeoutMs} ms`));
        }, timeoutMs);
        function check() {
          if (calls.filter(matches).length < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        }
        waiters.add(check);
        check();
      }),
    // Calls in flight (a handler that never answers) are cut, so a test never waits on them.
    stop: async () => server.forceShutdown(),
  };
}

/** The request of a Recommend call, typed. */
export const recommendRequest = (call: FakeCall) => call.request as RecommendRequest;
