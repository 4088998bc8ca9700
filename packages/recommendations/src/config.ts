import { type AccessLogPolicy, createEnvReader, LOG_LEVELS, type LogLevel } from '@bookstore/service-kit';

/** Files of the optional TLS set-up; with `clientCaFile`, clients must present a certificate. */
export interface TlsConfig {
  readonly certFile: string;
  readonly keyFile: string;
  readonly clientCaFile: string | undefined;
  /** How often the files are re-read, so rotated certificates apply without a restart. */
  readonly reloadIntervalMs: number;
  /** With a client CA: the certificate identities (CN or first SAN) allowed to call; others get PERMISSION_DENIED. */
  readonly allowedClients: readonly string[] | undefined;
}

/** Everything the service reads from its environment, validated and frozen. docs/operations.md explains each. */
export interface RecommendationsConfig {
  readonly port: number;
  readonly host: string;
  readonly logLevel: LogLevel;
  /**
   * Which calls get an access-log line: every failed or slow one (`ACCESS_LOG_SLOW_MS`, 100: a
   * Recommend answers in well under a millisecond, so 100 ms is far out of the ordinary and
   * near the marketplace's 300 ms deadline) and `ACCESS_LOG_SAMPLE_RATE` of the rest (0.01: the
   * metrics hold the totals; `make run` sets 1).
   */
  readonly accessLog: AccessLogPolicy;
  readonly metricsPort: number;
  readonly enableReflection: boolean;
  readonly maxReceiveMessageBytes: number;
  /**
   * HTTP/2 streams per connection. Streams past it are refused by HTTP/2 itself, before grpc-js
   * makes anything for them: 100 connections x 100 stalled streams peaked at 367 MB with 100,
   * 197 with 32 and 142 with 16 (127 with the ListBooks cap below). The Marketplace keeps
   * under 16 calls in flight per replica (each takes ~1 ms); further ones wait for a free stream.
   * Node refuses now and then a stream the client had room for (a stream it has just reset is
   * still counted here): the Marketplace tries Recommend and GetBook again on that refusal
   * (docs/operations.md, "Stream refusals").
   */
  readonly maxConcurrentStreams: number;
  /**
   * Health `Watch` streams open at once, over both ports. Each holds its request (a name of up
   * to MAX_RECEIVE_MESSAGE_BYTES) until the client cancels: 256 bounds that at 16 MiB, while
   * legitimate watchers (one per client subchannel with health checking on) are a few dozen.
   */
  readonly maxHealthWatches: number;
  /**
   * Connections on each gRPC port (connection-cap.ts). Legitimate ones are one per marketplace
   * pod (12 at most) plus probes and operators: 200 leaves room for 16 times that. Rounds of
   * 5,000 idle connections took RSS to 123 MB with 200, 154 MB with 500, 291 MB with no cap.
   */
  readonly maxConnections: number;
  /**
   * ListBooks streams open at once, over every connection. A client that stops reading holds
   * its stream (~25 KB inside grpc-js and Node's HTTP/2) until the connection's maximum age:
   * 100 connections x 100 such streams took RSS past 300 MB (docs/reliability.md). The
   * Marketplace reads one page at a time within its deadline, so a few dozen are plenty.
   */
  readonly maxListBooksStreams: number;
  readonly maxConnectionAgeMs: number;
  readonly maxConnectionAgeGraceMs: number;
  readonly keepaliveTimeMs: number;
  readonly keepaliveTimeoutMs: number;
  readonly shutdownGraceMs: number;
  readonly tls: TlsConfig | undefined;
  /** Plaintext health port, used only with TLS on (Kubernetes' gRPC probes cannot speak TLS). */
  readonly healthPort: number;
  /** A JSON-lines catalog (`{ id, title, author, category }` a line) served instead of the embedded 18 books. */
  readonly catalogFile: string | undefined;
  /**
   * The event store: unset is the embedded in-memory store (one process: `make run`, tests);
   * `redis://` or `rediss://` is Valkey/Redis, shared by every replica.
   */
  readonly storeUrl: string | undefined;
  /**
   * Valkey: how long an event a consumer read stays unapplied (its replica died) before another
   * replica claims and applies it. 30 s: longer than any healthy apply, short enough that a
   * crashed replica's events reach the read models within a minute.
   */
  readonly storeClaimIdleMs: number;
  /**
   * The operators' ImportEvents token: a file (a mounted Kubernetes Secret), re-read when it
   * changes. Unset: ImportEvents refuses every call.
   */
  readonly importTokenFile: string | undefined;
  /** Imports running at once; each streams for minutes, one store batch at a time. */
  readonly maxImportStreams: number;
  /**
   * RecordEvents streams open at once, over every connection. Each Marketplace process keeps
   * one; 32 leaves room for 12 pods reconnecting while their old streams time out. Each open
   * stream may hold up to 16 unread batches (grpc-js' read buffer) of MAX_RECEIVE_MESSAGE_BYTES.
   */
  readonly maxRecordEventsStreams: number;
  /**
   * How long Recommend and GetBook wait for the store before answering without it (random picks,
   * no "also viewed"). 50 ms: a Valkey read on the same network takes well under 1 ms, and the
   * Marketplace's deadline is 300 ms.
   */
  readonly storeReadTimeoutMs: number;
  // Issue 25 (hostile clients, round 3).
  /**
   * Server reflection streams open at once, over v1 and v1alpha (bounded-reflection.ts). Each
   * holds a window of unread requests and unsent answers; a tool needs one for a moment.
   */
  readonly maxReflectionStreams: number;
}

const MS_MAX = 24 * 60 * 60 * 1000;

/** Reads the environment once; throws one ConfigError listing every invalid variable. */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): RecommendationsConfig {
  const read = createEnvReader(env);
  const certFile = read.optional('TLS_CERT_FILE');
  const keyFile = read.optional('TLS_KEY_FILE');
  const clientCaFile = read.optional('TLS_CLIENT_CA_FILE');
  const allowedClients = read
    .optional('TLS_ALLOWED_CLIENTS')
    ?.split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const config: RecommendationsConfig = {
    port: read.port('PORT', 50051),
    host: read.string('HOST', '0.0.0.0'),
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
    accessLog: {
      slowMs: read.integer('ACCESS_LOG_SLOW_MS', 100, { min: 0, max: MS_MAX }),
      sampleRate: read.fraction('ACCESS_LOG_SAMPLE_RATE', 0.01),
    },
    metricsPort: read.port('METRICS_PORT', 9090),
    enableReflection: read.boolean('ENABLE_REFLECTION', true),
    maxReceiveMessageBytes: read.integer('MAX_RECEIVE_MESSAGE_BYTES', 64 * 1024, { min: 1024, max: 64 * 1024 * 1024 }),
    maxConcurrentStreams: read.integer('MAX_CONCURRENT_STREAMS', 16, { min: 1, max: 2 ** 31 - 1 }),
    maxHealthWatches: read.integer('MAX_HEALTH_WATCHES', 256, { min: 1, max: 100_000 }),
    maxConnections: read.integer('MAX_CONNECTIONS', 200, { min: 1, max: 1_000_000 }),
    maxListBooksStreams: read.integer('MAX_LIST_BOOKS_STREAMS', 64, { min: 1, max: 100_000 }),
    maxConnectionAgeMs: read.integer('MAX_CONNECTION_AGE_MS', 30_000, { min: 1000, max: MS_MAX }),
    maxConnectionAgeGraceMs: read.integer('MAX_CONNECTION_AGE_GRACE_MS', 10_000, { min: 0, max: MS_MAX }),
    keepaliveTimeMs: read.integer('KEEPALIVE_TIME_MS', 60_000, { min: 1000, max: MS_MAX }),
    keepaliveTimeoutMs: read.integer('KEEPALIVE_TIMEOUT_MS', 20_000, { min: 1000, max: MS_MAX }),
    shutdownGraceMs: read.integer('SHUTDOWN_GRACE_MS', 10_000, { min: 0, max: MS_MAX }),
    tls:
      certFile !== undefined && keyFile !== undefined
        ? {
            certFile,
            keyFile,
            clientCaFile,
            reloadIntervalMs: read.integer('TLS_RELOAD_INTERVAL_MS', 60_000, { min: 100, max: MS_MAX }),
            allowedClients,
          }
        : undefined,
    healthPort: read.port('HEALTH_PORT', 50052),
    catalogFile: read.optional('CATALOG_FILE'),
    storeUrl: read.optional('STORE_URL'),
    storeClaimIdleMs: read.integer('STORE_CLAIM_IDLE_MS', 30_000, { min: 1_000, max: MS_MAX }),
    importTokenFile: read.optional('IMPORT_TOKEN_FILE'),
    maxImportStreams: read.integer('MAX_IMPORT_STREAMS', 4, { min: 1, max: 1_000 }),
    maxRecordEventsStreams: read.integer('MAX_RECORD_EVENTS_STREAMS', 32, { min: 1, max: 100_000 }),
    storeReadTimeoutMs: read.integer('STORE_READ_TIMEOUT_MS', 50, { min: 1, max: 60_000 }),
    // Issue 25 (hostile clients, round 3).
    maxReflectionStreams: read.integer('MAX_REFLECTION_STREAMS', 8, { min: 1, max: 10_000 }),
  };
  // The value is not echoed: a URL may carry the store's password.
  if (config.storeUrl !== undefined && !/^rediss?:\/\//i.test(config.storeUrl)) {
    read.problem('STORE_URL must start with redis:// or rediss:// (unset: the embedded store)');
  }
  if ((certFile === undefined) !== (keyFile === undefined)) {
    read.problem('TLS_CERT_FILE and TLS_KEY_FILE must be set together');
  }
  if (clientCaFile !== undefined && certFile === undefined) {
    read.problem('TLS_CLIENT_CA_FILE needs TLS_CERT_FILE and TLS_KEY_FILE');
  }
  if (allowedClients !== undefined && clientCaFile === undefined) {
    read.problem('TLS_ALLOWED_CLIENTS needs TLS_CLIENT_CA_FILE (mutual TLS: callers identified by certificate)');
  }
  read.finish();
  return Object.freeze(config);
}
