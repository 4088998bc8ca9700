import { DEFAULT_SECONDS_BUCKETS } from '@bookstore/service-kit';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** Client-side gRPC metrics (go-grpc-prometheus names) and HTTP request metrics, in one registry. */
export interface MarketplaceMetrics {
  readonly registry: Registry;
  readonly grpcClientStarted: Counter<'grpc_type' | 'grpc_service' | 'grpc_method'>;
  readonly grpcClientHandled: Counter<'grpc_type' | 'grpc_service' | 'grpc_method' | 'grpc_code'>;
  readonly grpcClientHandlingSeconds: Histogram<'grpc_type' | 'grpc_service' | 'grpc_method'>;
  readonly httpRequestDuration: Histogram<'method' | 'route' | 'status_code'>;
  /** Pages rendered, `outcome` `complete` or `degraded` (without what Recommendations should add). */
  readonly pagesRendered: Counter<'page' | 'outcome'>;
  /** Access-log lines of client errors held back past their budget (observability/access-log.ts). */
  readonly accessLogSuppressed: Counter;
  /** Requests answered 429 by the per-address rate limit (http/rate-limit.ts), by budget. */
  readonly rateLimited: Counter<'budget'>;
  /** Connections the guards closed under a client (http/connection-guards.ts), by reason. */
  readonly connectionsCut: Counter<'reason'>;
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
    pagesRendered: pagesRenderedCounter(registry),
    accessLogSuppressed: new Counter({
      name: 'marketplace_access_log_suppressed_total',
      help: 'Access-log lines of client errors (4xx) not written: past ACCESS_LOG_CLIENT_ERRORS_PER_SECOND and not sampled.',
      registers: [registry],
    }),
    rateLimited: new Counter({
      name: 'marketplace_http_rate_limited_total',
      help: 'Requests answered 429 because their client address was past its budget (pages, book_lists); they are not in the access log.',
      labelNames: ['budget'],
      registers: [registry],
    }),
    connectionsCut: new Counter({
      name: 'marketplace_http_connections_cut_total',
      help: 'Connections closed by the marketplace under a client: too many pipelined requests, or room made under HTTP_MAX_CONNECTIONS (idle, or a response cut).',
      labelNames: ['reason'],
      registers: [registry],
    }),
  };
}

/**
 * The homepage-quality SLI: a degraded page answers 200, so only this counter tells it from a
 * whole one. Both outcomes start at 0 so a rate over them exists before the first degraded page.
 */
function pagesRenderedCounter(registry: Registry): Counter<'page' | 'outcome'> {
  const counter = new Counter({
    name: 'marketplace_pages_rendered_total',
    help: 'Pages rendered, by page (home, books, book) and outcome (complete, or degraded: Recommendations failed).',
    labelNames: ['page', 'outcome'],
    registers: [registry],
  });
  for (const page of PAGES) for (const outcome of ['complete', 'degraded']) counter.inc({ page, outcome }, 0);
  return counter;
}

/** The pages that call Recommendations and degrade without it. */
export const PAGES = ['home', 'books', 'book'] as const;
export type PageName = (typeof PAGES)[number];

/** What a route calls once it knows whether its page is whole. */
export type PageRecorder = (page: PageName, degraded: boolean) => void;

/** Counts pages in `metrics`, or nowhere when the app runs without metrics. */
export function pageRecorder(metrics: MarketplaceMetrics | undefined): PageRecorder {
  if (metrics === undefined) return () => undefined;
  return (page, degraded) => metrics.pagesRendered.inc({ page, outcome: degraded ? 'degraded' : 'complete' });
}
