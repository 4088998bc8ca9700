import { type RecommendationServiceServer, RecommendationServiceService } from '@bookstore/contracts';
import { Server, ServerCredentials, type ServiceError, status as Status } from '@grpc/grpc-js';

/** What a replica's Recommend does now; the default answers at once. */
export interface Fault {
  /** Wait this long before answering. */
  readonly delayMs?: number;
  /** Answer this code instead of books… */
  readonly failWith?: Status;
  /** …to every `failEvery`-th call (1: all of them; 2: every second one). */
  readonly failEvery?: number;
}

/** A Recommendations replica in the test process whose Recommend misbehaves as the test says. */
export interface FaultReplica {
  readonly port: number;
  /** Recommend calls received (attempts, whatever they came to). */
  readonly calls: number;
  /** Changes what Recommend does from the next call on. */
  set(fault: Fault): void;
  stop(): void;
}

/** Three books, as the homepage shows them: a page with them is whole (pages.ts, isFailedPage). */
const BOOKS = [1, 2, 3].map((id) => ({ id, title: `Book ${id}`, becauseOfBookId: 0, becauseOfTitle: '' }));

const failure = (code: Status): ServiceError =>
  Object.assign(new Error(`${Status[code]} injected`), {
    code,
    details: `${Status[code]} injected`,
    metadata: undefined as never,
  });

/**
 * A real grpc-js server with the generated service definition, on a free loopback port. Only
 * Recommend is served (the homepage's one call); the other methods answer UNIMPLEMENTED.
 */
export async function startFaultReplica(initial: Fault = {}): Promise<FaultReplica> {
  let fault = initial;
  let calls = 0;
  const unimplemented = (_call: unknown, callback: (error: ServiceError) => void) =>
    callback(failure(Status.UNIMPLEMENTED));
  const implementation: RecommendationServiceServer = {
    recommend: (_call, callback) => {
      calls += 1;
      const { delayMs = 0, failWith, failEvery = 1 } = fault;
      const answer = () =>
        failWith !== undefined && calls % failEvery === 0
          ? callback(failure(failWith))
          : callback(null, { recommendations: BOOKS });
      if (delayMs > 0) setTimeout(answer, delayMs);
      else answer();
    },
    listBooks: (call) => call.emit('error', failure(Status.UNIMPLEMENTED)),
    getBook: unimplemented,
    recordEvents: (call) => call.emit('error', failure(Status.UNIMPLEMENTED)),
    importEvents: unimplemented,
  };
  const server = new Server();
  server.addService(RecommendationServiceService, implementation);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
  );
  return {
    port,
    get calls() {
      return calls;
    },
    set: (next) => {
      fault = next;
    },
    // Calls in flight (a delayed answer) are cut, so a test never waits on them.
    stop: () => server.forceShutdown(),
  };
}

/** `count` replicas, the first with `first`'s fault, the others healthy. */
export function startFaultReplicas(count: number, first: Fault = {}, others: Fault = {}): Promise<FaultReplica[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => startFaultReplica(i === 0 ? first : others)));
}
