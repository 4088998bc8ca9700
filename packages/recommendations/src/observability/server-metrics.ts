import { status as Status } from '@grpc/grpc-js';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** gRPC code → the name go-grpc-prometheus writes (Go's codes.Code.String()). */
const GO_CODE_NAMES: Record<Status, string> = {
  [Status.OK]: 'OK',
  [Status.CANCELLED]: 'Canceled',
  [Status.UNKNOWN]: 'Unknown',
  [Status.INVALID_ARGUMENT]: 'InvalidArgument',
  [Status.DEADLINE_EXCEEDED]: 'DeadlineExceeded',
  [Status.NOT_FOUND]: 'NotFound',
  [Status.ALREADY_EXISTS]: 'AlreadyExists',
  [Status.PERMISSION_DENIED]: 'PermissionDenied',
  [Status.RESOURCE_EXHAUSTED]: 'ResourceExhausted',
  [Status.FAILED_PRECONDITION]: 'FailedPrecondition',
  [Status.ABORTED]: 'Aborted',
  [Status.OUT_OF_RANGE]: 'OutOfRange',
  [Status.UNIMPLEMENTED]: 'Unimplemented',
  [Status.INTERNAL]: 'Internal',
  [Status.UNAVAILABLE]: 'Unavailable',
  [Status.DATA_LOSS]: 'DataLoss',
  [Status.UNAUTHENTICATED]: 'Unauthenticated',
};

export function goCodeName(code: Status): string {
  return GO_CODE_NAMES[code] ?? `Code(${code})`;
}

type MethodLabels = { grpc_type: string; grpc_service: string; grpc_method: string };

export interface ServerMetrics {
  readonly registry: Registry;
  /** The metric children of one method, resolved once and reused for every call. */
  forMethod(labels: MethodLabels): {
    started: { inc(): void };
    received: { inc(): void };
    sent: { inc(): void };
    handlingSeconds: { startTimer(): () => void };
    handled(code: Status): { inc(): void };
  };
}

/**
 * A registry of its own (not prom-client's global one, so servers in one test process do not
 * collide) with the default Node process metrics and go-grpc-prometheus' server metrics.
 */
export function createServerMetrics(): ServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const labelNames = ['grpc_type', 'grpc_service', 'grpc_method'] as const;
  const started = new Counter({ name: 'grpc_server_started_total', help: 'Total number of RPCs started on the server.', labelNames, registers: [registry] });
  const handled = new Counter({
    name: 'grpc_server_handled_total',
    help: 'Total number of RPCs completed on the server, regardless of success or failure.',
    labelNames: [...labelNames, 'grpc_code'],
    registers: [registry],
  });
  const handlingSeconds = new Histogram({
    name: 'grpc_server_handling_seconds',
    help: 'Histogram of response latency (seconds) of gRPC that had been application-level handled by the server.',
    labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const received = new Counter({ name: 'grpc_server_msg_received_total', help: 'Total number of RPC stream messages received on the server.', labelNames, registers: [registry] });
  const sent = new Counter({ name: 'grpc_server_msg_sent_total', help: 'Total number of gRPC stream messages sent by the server.', labelNames, registers: [registry] });

  return {
    registry,
    forMethod(labels) {
      const byCode = new Map<Status, { inc(): void }>();
      return {
        started: started.labels(labels),
        received: received.labels(labels),
        sent: sent.labels(labels),
        handlingSeconds: handlingSeconds.labels(labels),
        handled(code) {
          let child = byCode.get(code);
          if (child === undefined) {
            child = handled.labels({ ...labels, grpc_code: goCodeName(code) });
            byCode.set(code, child);
          }
          return child;
        },
      };
    },
  };
}
