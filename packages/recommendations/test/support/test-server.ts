import { RecommendationServiceClient } from '@bookstore/contracts';
import { credentials } from '@grpc/grpc-js';
import pino from 'pino';
import { BOOKS } from '../../src/domain/books';
import { createCatalog } from '../../src/domain/catalog';
import { createRecommender, type Recommender } from '../../src/domain/recommender';
import { createRecommendationServer } from '../../src/server';

/** A log line as the service writes it. */
export type LogLine = Record<string, unknown> & { msg: string; level: number };

export interface TestServer {
  readonly address: string;
  readonly client: RecommendationServiceClient;
  /** Every line the server logged, parsed. */
  readonly logs: LogLine[];
  close(): Promise<void>;
}

/** A real server on a free loopback port with the real interceptor chain, and a generated client. */
export async function startTestServer(options: { recommender?: Recommender } = {}): Promise<TestServer> {
  const logs: LogLine[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => logs.push(JSON.parse(line) as LogLine) });
  const recommender = options.recommender ?? createRecommender({ catalog: createCatalog(BOOKS, { minPerCategory: 6 }) });
  const server = createRecommendationServer({
    config: { port: 0, host: '127.0.0.1', logLevel: 'info' },
    logger,
    recommender,
  });
  const port = await server.start();
  const address = `127.0.0.1:${port}`;
  const client = new RecommendationServiceClient(address, credentials.createInsecure());
  return {
    address,
    client,
    logs,
    close: async () => {
      client.close();
      await server.stop(1000);
    },
  };
}
