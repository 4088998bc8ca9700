import {
  type AccessLogDecision,
  acceptableRequestId,
  type MethodLabels,
  methodLabels,
  REQUEST_ID_HEADER,
} from '@bookstore/service-kit';
import { type Server, status as Status } from '@grpc/grpc-js';
import type { Http2Session, IncomingHttpHeaders, ServerHttp2Stream } from 'node:http2';
import type { Logger } from 'pino';
import { callerOfSession } from '../grpc/caller-identity';
import { http2ServersOf } from '../grpc/grpc-internals';
import { levelFor } from './access-log-line';
import { refusedForWhatTheClientSent } from './rejected-calls';
import type { MethodMetrics, ServerMetrics } from './server-metrics';

/** What is known about one call, from its first HTTP/2 frame to its status. */
export interface CallRecord {
  readonly path: string;
  readonly stream: ServerHttp2Stream;
  /** Kept: a stream no longer has its session once it closed. */
  readonly session: Http2Session | undefined;
  readonly counters: MethodMetrics;
  readonly started: number;
  readonly headers: IncomingHttpHeaders;
  /** Set when a handler starts (call-start.ts). */
  requestId: string | undefined;
  caller: string | undefined;
  metadata: Record<string, unknown> | undefined;
  /** The status our handler answered with; a different one was written by grpc-js below it. */
  handlerCode: Status | undefined;
  ended: boolean;
}

/** Each watched stream's record, kept apart from the stream: nothing is added to grpc-js' objects. */
const records = new WeakMap<ServerHttp2Stream, CallRecord>();

/** The record of the call on `stream`, when the observer saw it start. */
export function recordOf(stream: ServerHttp2Stream | undefined): CallRecord | undefined {
  return stream === undefined ? undefined : records.get(stream);
}

const byPeer = new WeakMap<Http2Session, string>();

/** Remembers a connection's client address: a call may end after its socket is gone. */
function notePeer(session: Http2Session) {
  const socket = session.socket;
  byPeer.set(session, socket?.remoteAddress ? `${socket.remoteAddress}:${socket.remotePort}` : 'unknown');
}

/** The grpc-status written on the stream, if any. */
function statusWritten(stream: ServerHttp2Stream): Status | undefined {
  const written = stream.sentTrailers?.['grpc-status'] ?? stream.sentHeaders?.['grpc-status'];
  return written === undefined ? undefined : Number(written);
}

export interface CallObserver {
  /**
   * Counters of a method `server` serves, for the handler wrapper; registered once per method
   * path (the same method on two servers shares them).
   */
  countersFor(method: { path: string; requestStream: boolean; responseStream: boolean }, server: Server): MethodMetrics;
  /** The counters `countersFor` registered for the method at `path`. */
  countersOf(path: string): MethodMetrics | undefined;
  /** Ends `record` with `code` now (the handler's answer), or leaves it to the stream's close. */
  end(record: CallRecord, code: Status): void;
  /** Watches every stream of `server`'s HTTP/2 servers; call after binding. */
  attach(server: Server): void;
}

/**
 * Metrics and access log for every call. grpc-js' interceptors see neither the calls it answers
 * itself (unknown methods, passed deadlines, malformed messages) nor their status, so the calls
 * are watched on their HTTP/2 streams; the call interceptor (call-interceptor.ts) and the unary
 * wrapper (observed-handlers.ts) add what the handlers did.
 *
 * A call starts when its HTTP/2 stream arrives (the HTTP/2 servers' `stream` event, after
 * grpc-js' own listener) and ends with the status its handler answered (observed-handlers.ts,
 * call-interceptor.ts), or, when grpc-js wrote one itself below the handlers (a passed deadline, an unparseable or
 * oversized message, a refused caller) or the client reset the stream, with what the stream
 * carried when it closed. Calls to unknown methods are counted with every label `unknown`
 * (the path is the client's choice: as a label it would be unbounded) and code Unimplemented,
 * and so are calls to a method the server they reached does not serve (a `Recommend` sent to the
 * plaintext health port). A call grpc-js refused before its handler ran, for what the client sent
 * (rejected-calls.ts), is counted in `grpc_server_rejected_total` too: the availability SLO leaves
 * it out (issue 25).
 *
 * This reads grpc-js' private `http2Servers` (grpc-internals.ts); when an upgrade moves it, it
 * logs an error instead of stopping the service, and test/grpc/grpc-internals.test.ts fails.
 */
export function createCallObserver(options: {
  logger: Logger;
  metrics: ServerMetrics;
  /** Mutual TLS is on: name the caller's certificate identity on each line. */
  identifyCallers: boolean;
  shouldLog: AccessLogDecision;
}): CallObserver {
  const { logger, metrics, identifyCallers, shouldLog } = options;
  const byPath = new Map<string, MethodMetrics>();
  const servedBy = new WeakMap<Server, Set<string>>();
  const pathsServedBy = (server: Server) => {
    let paths = servedBy.get(server);
    if (paths === undefined) servedBy.set(server, (paths = new Set()));
    return paths;
  };
  const unknownLabels = {
    grpc_type: 'unknown' as MethodLabels['grpc_type'],
    grpc_service: 'unknown',
    grpc_method: 'unknown',
  };
  let unknown: MethodMetrics | undefined;

  function finish(record: CallRecord, code: Status, below: boolean) {
    record.ended = true;
    const seconds = (performance.now() - record.started) / 1000;
    record.counters.handled(code, seconds);
    // No handler ran (the handler wrapper names the request id first thing).
    if (record.requestId === undefined && refusedForWhatTheClientSent(code, record.headers)) {
      record.counters.rejected(code);
    }
    const level = levelFor(code, below);
    if (!logger.isLevelEnabled(level)) return;
    const durationMs = Math.round(seconds * 1_000_000) / 1000;
    if (!shouldLog(code !== Status.OK, durationMs)) return;
    logger[level](
      {
        method: record.path,
        code: Status[code],
        durationMs,
        peer: (record.session && byPeer.get(record.session)) ?? 'unknown',
        caller: record.caller ?? (identifyCallers ? callerOfSession(record.session) : undefined),
        requestId: record.requestId ?? acceptableRequestId(record.headers[REQUEST_ID_HEADER]),
        metadata: record.metadata,
      },
      'rpc finished',
    );
  }

  function onStream(stream: ServerHttp2Stream, headers: IncomingHttpHeaders, served: Set<string>) {
    // grpc-js answers a stream of any other content type 415 before looking at the path: not a
    // gRPC call, so not counted (a scanner's plain HTTP/2 GET is not one).
    if (!headers['content-type']?.startsWith('application/grpc')) return;
    const path = headers[':path'] as string;
    const counters = served.has(path) ? byPath.get(path) : undefined;
    if (counters === undefined) {
      unknown ??= metrics.forMethod(unknownLabels);
      unknown.started();
      unknown.handled(Status.UNIMPLEMENTED, 0);
      return;
    }
    counters.started();
    const record: CallRecord = {
      path,
      stream,
      session: stream.session,
      counters,
      started: performance.now(),
      headers,
      requestId: undefined,
      caller: undefined,
      metadata: undefined,
      handlerCode: undefined,
      ended: false,
    };
    records.set(stream, record);
    stream.on('finish', onFinish);
    stream.on('close', onClose);
  }

  // Shared listeners (`this` is the stream), so watching a call allocates no closure. Most calls
  // end in their handler first (`end` below) and these return at once.
  /** The server's side is done: the status is on the stream, unless it was reset. */
  function onFinish(this: ServerHttp2Stream) {
    const record = records.get(this);
    if (record === undefined || record.ended) return;
    const code = statusWritten(this);
    if (code !== undefined) finish(record, code, code !== record.handlerCode);
  }
  /** Both sides are done; without a status, the client reset the stream: CANCELLED. */
  function onClose(this: ServerHttp2Stream) {
    const record = records.get(this);
    if (record === undefined || record.ended) return;
    const code = statusWritten(this) ?? Status.CANCELLED;
    finish(record, code, code !== record.handlerCode);
  }

  return {
    countersFor(method, server) {
      pathsServedBy(server).add(method.path);
      let counters = byPath.get(method.path);
      if (counters === undefined) {
        counters = metrics.forMethod(methodLabels(method));
        byPath.set(method.path, counters);
      }
      return counters;
    },
    countersOf: (path) => byPath.get(path),
    end(record, code) {
      record.handlerCode = code;
      // A status already on the stream (a passed deadline) or a reset stream: the close decides.
      if (record.ended || record.stream.headersSent || record.stream.destroyed) return;
      finish(record, code, false);
    },
    attach(server) {
      const bound = http2ServersOf(server);
      if (bound === undefined) {
        logger.error('grpc-js internals moved: calls are not counted or logged');
        return;
      }
      const served = pathsServedBy(server);
      for (const http2Server of bound) {
        http2Server.on('session', notePeer);
        http2Server.on('stream', (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) =>
          onStream(stream, headers, served),
        );
      }
    },
  };
}
