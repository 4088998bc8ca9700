import {
  type AccessLogPolicy,
  createEnvReader,
  type EnvReader,
  LOG_LEVELS,
  type LogLevel,
} from '@bookstore/service-kit';
import { type HttpLimits, readHttpLimits } from './http/limits';
import { type RateLimits, readRateLimits } from './http/rate-limit';
import { readRecommendationsTls, type RecommendationsTlsConfig } from './recommendations/tls-config';

/** Everything the marketplace reads from its environment, validated and frozen. */
export interface MarketplaceConfig {
  readonly port: number;
  readonly host: string;
  readonly logLevel: LogLevel;
  /**
   * Which requests get an access-log line: every 4xx/5xx, every one slower than
   * `ACCESS_LOG_SLOW_MS` (250: a page with a Recommend under its 300 ms deadline takes a few
   * milliseconds; 250 means something waited), and `ACCESS_LOG_SAMPLE_RATE` of the rest (0.01:
   * the metrics hold the totals; `make run` sets 1).
   */
  readonly accessLog: AccessLogPolicy;
  /** Prometheus `GET /metrics`, on its own port (never the public one). */
  readonly metricsPort: number;
  /** A gRPC target: `host:port`, `dns:///host:port` or `ipv4:a:p,b:p`. */
  readonly recommendationsAddr: string;
  /** Deadline of every call to Recommendations. */
  readonly recommendationsTimeoutMs: number;
  /**
   * How long a Recommend or GetBook attempt may take before a second one (a hedge) goes to another
   * replica; 0 turns hedging off. gRFC A6 sets it near the p95 of a healthy call: the default, 25 ms,
   * is that p95 with 16 calls in flight, as a busy pod sends them (14–73 ms, `node
   * bench/hedging-delay.js`). The idle p95 (2–4 ms) hedged most calls under load: at 200 pages/s
   * a 5 or 10 ms delay took the rolling-restart test's p99 from 83 ms to 326–389 ms
   * (docs/operations.md, "Hedging").
   */
  readonly recommendationsHedgingDelayMs: number;
  /** How long SIGTERM waits for in-flight requests before exiting. */
  readonly shutdownGraceMs: number;
  /** Mark the `uid` cookie Secure (set it when users reach the site over HTTPS). */
  readonly cookieSecure: boolean;
  /** Per-address request budgets of pages and API (http/rate-limit.ts explains the numbers). */
  readonly rateLimit: RateLimits;
  /**
   * Which proxies to believe about the client address (X-Forwarded-For): false, true (any), a hop
   * count, or a list of addresses/CIDRs. Rate limiting keys on that address.
   */
  readonly trustProxy: boolean | number | string[];
  /** Timeouts, connection, pipelining and body bounds of the public port (http/limits.ts). */
  readonly http: HttpLimits;
  /** TLS (and mutual TLS) to Recommendations; undefined = plaintext. */
  readonly recommendationsTls: RecommendationsTlsConfig | undefined;
  /**
   * Reader events held while Recommendations has not acknowledged them (reader-events/); when
   * full the oldest is dropped. 10,000 events are about 2 MB and, at a few hundred views a
   * second, cover a minute of Recommendations being away.
   */
  readonly readerEventsOutboxSize: number;
  // Issue 25 (hostile clients, round 3).
  /**
   * Client errors (4xx) logged each second (`ACCESS_LOG_CLIENT_ERRORS_PER_SECOND`, 10); past it
   * they are sampled at `ACCESS_LOG_SAMPLE_RATE` and counted: a client decides how many 4xx it
   * causes, and 2,000 of them wrote 30.5 MB of log. 10 a second is 864,000 lines a day, enough
   * to read what a misbehaving client sends.
   */
  readonly accessLogClientErrorsPerSecond: number;
  /**
   * `/readyz` answers 503 until the channels to Recommendations are connected, at most this long
   * (`RECOMMENDATIONS_STARTUP_TIMEOUT_MS`, 10 s; 0 does not wait): then ready anyway, degraded,
   * logged once (health/startup-readiness.ts). A connection takes milliseconds; 10 s covers a replica
   * still starting and leaves the container healthcheck (2 s × 10 retries) half its window.
   */
  readonly recommendationsStartupTimeoutMs: number;
}

function parseTrustProxy(value: string | undefined): boolean | number | string[] {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
}

/** RECOMMENDATIONS_HEDGING_DELAY_MS: below the deadline, or a hedge could never be sent. */
function readHedgingDelay(read: EnvReader, timeoutMs: number): number {
  const delayMs = read.integer('RECOMMENDATIONS_HEDGING_DELAY_MS', 25, { min: 0, max: 60_000 });
  if (delayMs >= timeoutMs)
    read.problem(
      `RECOMMENDATIONS_HEDGING_DELAY_MS (${delayMs}) must be below RECOMMENDATIONS_TIMEOUT_MS (${timeoutMs}); 0 turns hedging off`,
    );
  return delayMs;
}

/** Reads the environment once; throws one ConfigError listing every invalid variable. */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): MarketplaceConfig {
  const read = createEnvReader(env);
  const recommendationsTimeoutMs = read.integer('RECOMMENDATIONS_TIMEOUT_MS', 300, { min: 1, max: 60_000 });
  const config: MarketplaceConfig = {
    port: read.port('PORT', 5000),
    host: read.string('HOST', '0.0.0.0'),
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    accessLog: {
      slowMs: read.integer('ACCESS_LOG_SLOW_MS', 250, { min: 0, max: 86_400_000 }),
      sampleRate: read.fraction('ACCESS_LOG_SAMPLE_RATE', 0.01),
    },
    metricsPort: read.port('METRICS_PORT', 9091),
    recommendationsAddr: read.string('RECOMMENDATIONS_ADDR', 'localhost:50051'),
    recommendationsTimeoutMs,
    recommendationsHedgingDelayMs: readHedgingDelay(read, recommendationsTimeoutMs),
    shutdownGraceMs: read.integer('SHUTDOWN_GRACE_MS', 10_000, { min: 0, max: 600_000 }),
    cookieSecure: read.boolean('COOKIE_SECURE', false),
    rateLimit: readRateLimits(read),
    trustProxy: parseTrustProxy(read.optional('TRUST_PROXY')),
    http: readHttpLimits(read),
    recommendationsTls: readRecommendationsTls(read),
    readerEventsOutboxSize: read.integer('READER_EVENTS_OUTBOX_SIZE', 10_000, { min: 1, max: 1_000_000 }),
    // Issue 25 (hostile clients, round 3).
    accessLogClientErrorsPerSecond: read.integer('ACCESS_LOG_CLIENT_ERRORS_PER_SECOND', 10, { min: 0, max: 1_000_000 }),
    recommendationsStartupTimeoutMs: read.integer('RECOMMENDATIONS_STARTUP_TIMEOUT_MS', 10_000, {
      min: 0,
      max: 600_000,
    }),
  };
  read.finish();
  return Object.freeze(config);
}
