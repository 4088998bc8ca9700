import { DEFAULT_SECONDS_BUCKETS } from '@bookstore/metrics';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** Client-side gRPC metrics (go-grpc-prometheus names) and HTTP request metrics, in one registry. */
export interface MarketplaceMetrics {
  readonly registry: Registry;
  readonly grpcClientStarted: Counter<'grpc_type' | 'grpc_service' | 'grpc_method'>;
  readonly grpcClientHandled: Counter<'grpc_type' | 'grpc_service' | 'grpc_method' | 'grpc_code'>;
  readonly grpcClientHandlingSeconds: Histogram<'grpc_type' | 'grpc_service' | 'grpc_method'>;
  readonly httpRequestDuration: Histogram<'method' | 'route' | 'status_code'>;
}

/** A registry of its own, so apps built in one test process do not share counters. */
export function createMarketplaceMetrics(): MarketplaceMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const grpcLabels = ['grpc_type', 'grpc_service', 'grpc_method'] as const;
  return {
    registry,
    grpcClientStarted: new Counter({
      name: 'grpc_client_started_total',
      help: 'Total number of RPCs started on the client.',
      labelNames: grpcLabels,
      registers: [registry],
    }),
    grpcClientHandled: new Counter({
      name: 'grpc_client_handled_total',
      help: 'Total number of RPCs completed by the client, regardless of success or failure.',
      labelNames: [...grpcLabels, 'grpc_code'],
      registers: [registry],
    }),
    grpcClientHandlingSeconds: new Histogram({
      name: 'grpc_client_handling_seconds',
      help: 'Histogram of response latency (seconds) of the gRPC until it is finished by the application.',
      labelNames: grpcLabels,
      buckets: DEFAULT_SECONDS_BUCKETS,
      registers: [registry],
    }),
    httpRequestDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Duration of HTTP requests in seconds, by method, route template and status code.',
      labelNames: ['method', 'route', 'status_code'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
  };
}
