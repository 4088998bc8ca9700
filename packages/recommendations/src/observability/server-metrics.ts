import { DEFAULT_SECONDS_BUCKETS, goCodeName, type MethodLabels } from '@bookstore/metrics';
import { type status as Status } from '@grpc/grpc-js';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

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
  const started = new Counter({
    name: 'grpc_server_started_total',
    help: 'Total number of RPCs started on the server.',
    labelNames,
    registers: [registry],
  });
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
    buckets: DEFAULT_SECONDS_BUCKETS,
    registers: [registry],
  });
  const received = new Counter({
    name: 'grpc_server_msg_received_total',
    help: 'Total number of RPC stream messages received on the server.',
    labelNames,
    registers: [registry],
  });
  const sent = new Counter({
    name: 'grpc_server_msg_sent_total',
    help: 'Total number of gRPC stream messages sent by the server.',
    labelNames,
    registers: [registry],
  });

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
