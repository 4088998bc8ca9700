import { createEnvReader } from '@bookstore/env-config';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Everything the marketplace reads from its environment, validated and frozen. */
export interface MarketplaceConfig {
  readonly port: number;
  readonly host: string;
  readonly logLevel: LogLevel;
  /** Prometheus `GET /metrics`, on its own port (never the public one). */
  readonly metricsPort: number;
  /** A gRPC target: `host:port`, `dns:///host:port` or `ipv4:a:p,b:p`. */
  readonly recommendationsAddr: string;
  /** Deadline of every call to Recommendations. */
  readonly recommendationsTimeoutMs: number;
  /** How long SIGTERM waits for in-flight requests before exiting. */
  readonly shutdownGraceMs: number;
}

/** Reads the environment once; throws one ConfigError listing every invalid variable. */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): MarketplaceConfig {
  const read = createEnvReader(env);
  const config: MarketplaceConfig = {
    port: read.port('PORT', 5000),
    host: read.string('HOST', '0.0.0.0'),
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    metricsPort: read.port('METRICS_PORT', 9091),
    recommendationsAddr: read.string('RECOMMENDATIONS_ADDR', 'localhost:50051'),
    recommendationsTimeoutMs: read.integer('RECOMMENDATIONS_TIMEOUT_MS', 300, { min: 1, max: 60_000 }),
    shutdownGraceMs: read.integer('SHUTDOWN_GRACE_MS', 10_000, { min: 0, max: 600_000 }),
  };
  read.finish();
  return Object.freeze(config);
}
