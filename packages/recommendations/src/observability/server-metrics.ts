import { DEFAULT_SECONDS_BUCKETS, goCodeName, type MethodLabels } from '@bookstore/service-kit';
import { type status as Status } from '@grpc/grpc-js';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** What the call observer records for one method; resolved once per method, then reused. */
export interface MethodMetrics {
  started(): void;
  received(): void;
  sent(): void;
  /** The call ended with `code` after `seconds`. */
  handled(code: Status, seconds: number): void;
  /** The call, counted as handled too, was refused for what the client sent before a handler ran. */
  rejected(code: Status): void;
}

export interface ServerMetrics {
  readonly registry: Registry;
  forMethod(labels: MethodLabels): MethodMetrics;
  /** Mirrors the `readiness` health status in `recommendations_ready` (1 SERVING, 0 not). */
  setReady(ready: boolean): void;
  /** Reader events of RecordEvents batches: newly stored, already stored (resends), rejected. */
  countEvents(counts: { appended: number; duplicates: number; rejected: number }): void;
  /** An answer made without the store (it failed or was slow): `operation` is recommend or get_book. */
  countDegraded(operation: string): void;
  /** One logged event applied to the read models by this replica's consumer. */
  countApplied(): void;
}

/** Counts not yet added to their prom-client counter; see createServerMetrics. */
interface Pending {
  readonly labels: MethodLabels;
  started: number;
  received: number;
  sent: number;
  readonly handled: Map<Status, number>;
  readonly rejected: Map<Status, number>;
}

/**
 * A registry of its own (not prom-client's global one, so servers in one test process do not
 * collide) with the default Node process metrics and go-grpc-prometheus' server metrics.
 *
 * The counters are plain numbers per method on the call path, added to the prom-client counters
 * when /metrics is read (each counter's `collect`): `counter.inc(labels)` hashes and validates
 * the label set on every call, and four of those per call were a measured cost under load
 * (docs/benchmarks.md). The histogram is observed per call; its child was resolved once.
 */
export function createServerMetrics(): ServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const labelNames = ['grpc_type', 'grpc_service', 'grpc_method'] as const;
  const pending: Pending[] = [];

  /** A counter of one Pending field, flushed into prom-client when /metrics is read. */
  const perMethodCounter = (name: string, help: string, field: 'started' | 'received' | 'sent') =>
    new Counter({
      name,
      help,
      labelNames,
      registers: [registry],
      collect() {
        for (const method of pending) {
          if (method[field] > 0) this.inc(method.labels, method[field]);
          method[field] = 0;
        }
      },
    });

  perMethodCounter('grpc_server_started_total', 'Total number of RPCs started on the server.', 'started');
  /** A counter by method and status code, from each method's `handled` or `rejected` counts. */
  const perCodeCounter = (name: string, help: string, field: 'handled' | 'rejected') =>
    new Counter({
      name,
      help,
      labelNames: [...labelNames, 'grpc_code'],
      registers: [registry],
      collect() {
        for (const method of pending) {
          for (const [code, count] of method[field]) {
            if (count > 0) this.inc({ ...method.labels, grpc_code: goCodeName(code) }, count);
            method[field].set(code, 0);
          }
        }
      },
    });
  perCodeCounter(
    'grpc_server_handled_total',
    'Total number of RPCs completed on the server, regardless of success or failure.',
    'handled',
  );
  // Not in go-grpc-prometheus: the part of grpc_server_handled_total that grpc-js refused before
  // any handler ran, for what the client sent (call-observer.ts). The availability SLO subtracts
  // it: it counts what the service did for well-formed calls (issue 25).
  perCodeCounter(
    'grpc_server_rejected_total',
    'RPCs refused before a handler ran, for what the client sent (a malformed message, a deadline under 50 ms that passed first); also counted in grpc_server_handled_total.',
    'rejected',
  );
  const handlingSeconds = new Histogram({
    name: 'grpc_server_handling_seconds',
    help: 'Histogram of response latency (seconds) of gRPC that had been application-level handled by the server.',
    labelNames,
    buckets: DEFAULT_SECONDS_BUCKETS,
    registers: [registry],
  });
  perMethodCounter(
    'grpc_server_msg_received_total',
    'Total number of RPC stream messages received on the server.',
    'received',
  );
  perMethodCounter('grpc_server_msg_sent_total', 'Total number of gRPC stream messages sent by the server.', 'sent');
  // Readiness as Prometheus sees it (the "replica not ready" alert), without kube-state-metrics.
  const ready = new Gauge({
    name: 'recommendations_ready',
    help: '1 while the readiness health status is SERVING, 0 before start-up ends and while draining.',
    registers: [registry],
  });
  ready.set(0);
  // Counted per batch or per degraded answer, never on the anonymous Recommend path: inc() is fine.
  const applied = new Counter({
    name: 'recommendations_reader_events_applied_total',
    help: 'Logged reader events this replica applied to the read models; summed over replicas, each event once.',
    registers: [registry],
  });
  const events = new Counter({
    name: 'recommendations_reader_events_total',
    help: 'Reader events received by RecordEvents, by outcome: stored (new), duplicate (already stored), rejected.',
    labelNames: ['outcome'],
    registers: [registry],
  });
  const degraded = new Counter({
    name: 'recommendations_degraded_total',
    help: 'Answers made without the event store because it failed or was slow: random picks, no "also viewed".',
    labelNames: ['operation'],
    registers: [registry],
  });
  // Present from the start at 0, so a dashboard's rate() has a series before the first event.
  for (const outcome of ['stored', 'duplicate', 'rejected']) events.inc({ outcome }, 0);
  for (const operation of ['recommend', 'get_book']) degraded.inc({ operation }, 0);
  return {
    registry,
    setReady: (serving) => ready.set(serving ? 1 : 0),
    countEvents({ appended, duplicates, rejected }) {
      events.inc({ outcome: 'stored' }, appended);
      events.inc({ outcome: 'duplicate' }, duplicates);
      events.inc({ outcome: 'rejected' }, rejected);
    },
    countDegraded: (operation) => degraded.inc({ operation }),
    countApplied: () => applied.inc(),
    forMethod(labels) {
      const counts: Pending = { labels, started: 0, received: 0, sent: 0, handled: new Map(), rejected: new Map() };
      pending.push(counts);
      const histogram = handlingSeconds.labels(labels);
      return {
        started() {
          counts.started += 1;
        },
        received() {
          counts.received += 1;
        },
        sent() {
          counts.sent += 1;
        },
        handled(code, seconds) {
          counts.handled.set(code, (counts.handled.get(code) ?? 0) + 1);
          histogram.observe(seconds);
        },
        rejected(code) {
          counts.rejected.set(code, (counts.rejected.get(code) ?? 0) + 1);
        },
      };
    },
  };
}
