import { type RecommendationServiceServer, RecommendationServiceService } from '@bookstore/contracts';
import {
  BOOKS,
  createCatalog,
  createRecommendationServer,
  createRecommender,
  loadConfig,
  type CatalogBook,
} from '@bookstore/recommendations';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import pino from 'pino';

export interface RunningServer {
  readonly address: string;
  readonly port: number;
  /** The server's log lines (only when started with `logs: true`). */
  readonly logs: Record<string, unknown>[];
  stop(): Promise<void>;
}

/** The real Recommendations service, in-process on a free loopback port. */
export async function startRecommendations(
  options: { books?: readonly CatalogBook[]; port?: number; env?: Record<string, string>; logs?: boolean } = {},
): Promise<RunningServer> {
  const logs: Record<string, unknown>[] = [];
  const server = createRecommendationServer({
    config: loadConfig({
      PORT: String(options.port ?? 0),
      HOST: '127.0.0.1',
      METRICS_PORT: '0',
      HEALTH_PORT: '0',
      SHUTDOWN_GRACE_MS: '100',
      // Every call logged (as `make run`): the tests that read the log see each call.
      ACCESS_LOG_SAMPLE_RATE: '1',
      ...options.env,
    }),
    logger: options.logs
      ? pino({ level: 'info' }, { write: (line: string) => logs.push(JSON.parse(line) as Record<string, unknown>) })
      : pino({ level: 'silent' }),
    recommender: createRecommender({ catalog: createCatalog(options.books ?? BOOKS) }),
  });
  const { port } = await server.start();
  return { address: `127.0.0.1:${port}`, port, logs, stop: () => server.stop() };
}

/** A bare gRPC server speaking the contract with handlers a test controls (slow, failing...). */
export async function startContractServer(
  implementation: RecommendationServiceServer,
  port = 0,
): Promise<RunningServer> {
  const server = new Server();
  server.addService(RecommendationServiceService, implementation);
  const bound = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`127.0.0.1:${port}`, ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
  );
  return {
    address: `127.0.0.1:${bound}`,
    port: bound,
    logs: [],
    stop: () => new Promise((resolve) => server.tryShutdown(() => resolve())),
  };
}
