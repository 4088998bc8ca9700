import { methodLabels } from '@bookstore/metrics';
import type { AccessLogDecision } from '@bookstore/runtime';
import { ServerInterceptingCall, status as Status, type ServerInterceptor } from '@grpc/grpc-js';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { callerOf } from '../grpc/caller-identity';
import type { MethodMetrics, ServerMetrics } from '../observability/server-metrics';
import { trackCallEnd } from './call-end';

export const REQUEST_ID_KEY = 'x-request-id';

/** Incoming ids are kept only when they look like ids: short, and safe to log and echo. */
const ACCEPTABLE_ID = /^[\w.:-]{1,128}$/;

/** Codes that mean the caller asked for something wrong: a warning, not an alert. */
const CLIENT_ERRORS = new Set<Status>([
  Status.INVALID_ARGUMENT,
  Status.NOT_FOUND,
  Status.ALREADY_EXISTS,
  Status.FAILED_PRECONDITION,
  Status.OUT_OF_RANGE,
  Status.RESOURCE_EXHAUSTED,
  Status.UNAUTHENTICATED,
  Status.PERMISSION_DENIED,
  Status.UNIMPLEMENTED,
]);

/**
 * OK at info. CANCELLED at debug: the client gave up, nothing for us to act on, and a client
 * cancelling in a loop would otherwise flood the logs (one probe wrote 128 MB). Caller mistakes
 * at warn, and so is an INTERNAL that grpc-js wrote below the interceptors: that is the client's
 * unparseable message or malformed `grpc-timeout`, not our failure (ours come through the
 * chain, logged with their stack by the handler adapter). The rest at error.
 */
function levelFor(code: Status, below: boolean): 'debug' | 'info' | 'warn' | 'error' {
  if (code === Status.OK) return 'info';
  if (code === Status.CANCELLED) return 'debug';
  return CLIENT_ERRORS.has(code) || (below && code === Status.INTERNAL) ? 'warn' : 'error';
}

/**
 * The server's one interceptor: request id, access log and metrics for every call.
 *
 * - **Request id**: the caller's `x-request-id` when acceptable, a new UUID otherwise; written
 *   into the incoming metadata (handlers log it) and sent back in the response headers, or in
 *   the trailers of a trailers-only error.
 * - **Access log**: one JSON line per RPC when it ends (every failed or slow one and a sample
 *   of the rest, as `shouldLog` decides): method, status code name, duration, peer
 *   and request id, and with mutual TLS the caller's certificate identity (`caller`); at the level
 *   `levelFor` gives the code; the request metadata at debug
 *   level (the logger redacts credentials in it). Unexpected errors were already logged with
 *   their stack by the handler adapter.
 * - **Metrics**: go-grpc-prometheus' server metrics (started, handled by code, handling seconds,
 *   messages received and sent), on counters resolved once per method.
 *
 * One interceptor rather than three: each grpc-js interceptor wraps the call's listener and
 * responder again, and under load the extra layers were a measured share of the cost per call
 * (docs/benchmarks.md).
 */
export function createObservabilityInterceptor(options: {
  logger: Logger;
  metrics: ServerMetrics;
  /** Mutual TLS is on: name the caller's certificate identity on each line. */
  identifyCallers?: boolean;
  /** Which calls get a line (failed, slow, sampled); every call by default. */
  shouldLog?: AccessLogDecision;
}): ServerInterceptor {
  const { logger, metrics } = options;
  const shouldLog = options.shouldLog ?? (() => true);
  const identifyCallers = options.identifyCallers ?? false;
  const byMethod = new Map<string, MethodMetrics>();
  const debug = () => logger.isLevelEnabled('debug');

  return (method, call) => {
    let observed = byMethod.get(method.path);
    if (observed === undefined) {
      observed = metrics.forMethod(methodLabels(method));
      byMethod.set(method.path, observed);
    }
    const counters = observed;
    counters.started();
    const started = performance.now();
    let requestId = '';
    let headersSent = false;
    let metadata: Record<string, unknown> | undefined;
    let caller: string | undefined;

    const end = trackCallEnd(call, (code, below) => {
      const seconds = (performance.now() - started) / 1000;
      counters.handled(code, seconds);
      const level = levelFor(code, below);
      if (!logger.isLevelEnabled(level)) return;
      const durationMs = Math.round(seconds * 1_000_000) / 1000;
      if (!shouldLog(code !== Status.OK, durationMs)) return;
      logger[level](
        { method: method.path, code: Status[code], durationMs, peer: call.getPeer(), caller, requestId, metadata },
        'rpc finished',
      );
    });

    return new ServerInterceptingCall(call, {
      start: (next) =>
        next({
          onReceiveMetadata: (incoming, nextMetadata) => {
            const sent = incoming.get(REQUEST_ID_KEY)[0];
            requestId = typeof sent === 'string' && ACCEPTABLE_ID.test(sent) ? sent : randomUUID();
            incoming.set(REQUEST_ID_KEY, requestId);
            if (identifyCallers) caller = callerOf(call);
            if (debug()) metadata = incoming.getMap();
            nextMetadata(incoming);
          },
          onReceiveMessage: (message, nextMessage) => {
            counters.received();
            nextMessage(message);
          },
          onCancel: () => end.cancelled(),
        }),
      sendMetadata: (outgoing, next) => {
        headersSent = true;
        outgoing.set(REQUEST_ID_KEY, requestId);
        next(outgoing);
      },
      sendMessage: (message, next) => {
        counters.sent();
        next(message);
      },
      sendStatus: (status, next) => {
        if (!headersSent && status.metadata) status.metadata.set(REQUEST_ID_KEY, requestId);
        end.statusSent(status.code);
        next(status);
      },
    });
  };
}
