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
  stop(): Promise<void>;
}

/** The real Recommendations service, in-process on a free loopback port. */
export async function startRecommendations(
  options: { books?: readonly CatalogBook[]; port?: number } = {},
): Promise<RunningServer> {
  const server = createRecommendationServer({
    config: loadConfig({
      PORT: String(options.port ?? 0),
      HOST: '127.0.0.1',
      METRICS_PORT: '0',
      SHUTDOWN_GRACE_MS: '100',
    }),
    logger: pino({ level: 'silent' }),
    recommender: createRecommender({ catalog: createCatalog(options.books ?? BOOKS) }),
  });
  const { port } = await server.start();
  return { address: `127.0.0.1:${port}`, port, stop: () => server.stop() };
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
    stop: () => new Promise((resolve) => server.tryShutdown(() => resolve())),
  };
}
