import type { EnvReader } from '@bookstore/service-kit';

/**
 * Every bound of the public HTTP port, stated once with the reason for its value (house style
 * "Bounded by default", Envoy's edge-proxy best practices as the model). docs/reliability.md
 * lists the attack each one stops and the test that proves it.
 */
export interface HttpLimits {
  /**
   * The request line and headers must arrive within this (slowloris). A browser sends them in
   * one packet; Envoy's edge default is the same 10 s (`request_headers_timeout`).
   */
  readonly headersTimeoutMs: number;
  /** The whole request. No route takes a body, so this only adds a margin over the headers. */
  readonly requestTimeoutMs: number;
  /**
   * An idle keep-alive connection is closed after this. Browsers reuse a connection within
   * seconds or not at all; fastify's 72 s let ~20,000 idle sockets pile up (issue 18). An L7
   * proxy in front must close its idle upstream connections sooner (docs/operations.md).
   */
  readonly keepAliveTimeoutMs: number;
  /** No byte in either direction for this long closes the socket: a client that stops reading. */
  readonly idleTimeoutMs: number;
  /** How often Node checks the headers and request timeouts (its 30 s default triples them). */
  readonly timeoutCheckIntervalMs: number;
  /**
   * Open connections at once; further ones are closed on accept. Measured worst case per
   * connection × this stays under the pod's 256 MiB with the baseline (docs/reliability.md).
   */
  readonly maxConnections: number;
  /**
   * Requests pipelined on one connection beyond the one being answered. They are answered one
   * at a time (so a client that does not read holds one response's buffers, not twenty); past
   * this many waiting the connection is closed. Browsers do not pipeline at all.
   */
  readonly maxPipelinedRequests: number;
  /**
   * No route takes a body: a request that declares one is answered 413 before any of it is
   * read, and the connection closed. fastify's limit (1 MiB by default) is the backstop.
   */
  readonly bodyLimitBytes: number;
}

/** Reads the two limits an operator may need to tune; the rest are fixed by the reasons above. */
export function readHttpLimits(read: EnvReader): HttpLimits {
  return {
    headersTimeoutMs: 10_000,
    requestTimeoutMs: 15_000,
    keepAliveTimeoutMs: read.integer('HTTP_KEEP_ALIVE_TIMEOUT_MS', 10_000, { min: 1000, max: 600_000 }),
    idleTimeoutMs: 30_000,
    timeoutCheckIntervalMs: 1000,
    maxConnections: read.integer('HTTP_MAX_CONNECTIONS', 1000, { min: 1, max: 100_000 }),
    maxPipelinedRequests: 16,
    bodyLimitBytes: 1024,
  };
}
