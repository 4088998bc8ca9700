import { RecommendationServiceService } from '@bookstore/contracts';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { RecommendationsConfig } from './config';
import type { Recommender } from './domain/recommender';
import { createRecommendationService } from './grpc/recommendation-service';
import { createAccessLogInterceptor } from './interceptors/access-log';

export interface RecommendationServer {
  /** Binds and serves; resolves with the bound port (useful with port 0). */
  start(): Promise<number>;
  /** Stops accepting, lets in-flight calls finish for `graceMs`, then cancels the rest. */
  stop(graceMs: number): Promise<void>;
}

/** Wires the gRPC server: service implementation, interceptor chain and credentials. */
export function createRecommendationServer(options: {
  config: RecommendationsConfig;
  logger: Logger;
  recommender: Recommender;
}): RecommendationServer {
  const { config, logger, recommender } = options;
  const server = new Server({ interceptors: [createAccessLogInterceptor(logger)] });
  server.addService(RecommendationServiceService, createRecommendationService({ recommender, logger }));

  return {
    start: () =>
      new Promise<number>((resolve, reject) => {
        server.bindAsync(`${config.host}:${config.port}`, ServerCredentials.createInsecure(), (error, port) =>
          error ? reject(error) : resolve(port),
        );
      }),
    stop: (graceMs) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => server.forceShutdown(), graceMs);
        server.tryShutdown(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
  };
}
