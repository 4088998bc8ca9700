import { RECOMMENDATION_SERVICE_NAME } from '@bookstore/contracts';
import {
  type Server,
  type ServerUnaryCall,
  type ServerWritableStream,
  type sendUnaryData,
  status as Status,
} from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';

/** The names the standard grpc.health.v1.Health service answers for. */
export const HEALTH_SERVICES = {
  overall: '',
  liveness: 'liveness',
  readiness: 'readiness',
  recommendations: RECOMMENDATION_SERVICE_NAME,
} as const;

type ServingStatus = 'SERVING' | 'NOT_SERVING';
type Watcher = (status: ServingStatus) => void;

export interface HealthState {
  /** Serves `Check`, `Watch` and `List` on a server (the API port, and the plaintext health port). */
  addToServer(server: Pick<Server, 'addService'>): void;
  /** Catalog loaded and port bound: take traffic. */
  markReady(): void;
  /** Shutdown began: stop sending traffic here; the process still answers (liveness). */
  markDraining(): void;
}

/**
 * Liveness is SERVING while the process can answer. Readiness (and the overall and service
 * names, which clients and load balancers also watch) start NOT_SERVING, turn SERVING once the
 * server is ready and NOT_SERVING again as shutdown begins.
 *
 * The handlers are ours, not grpc-health-check's `HealthImplementation.addToServer`: 2.1.0 keeps
 * a map entry per service name ever watched, even after the watch is cancelled, so 7,500
 * `Watch` calls with unique 10–60 KB names grew the heap by 195 MB for good (issue 18). Here the
 * watcher sets exist for the four known names only; a `Watch` of any other name is answered
 * SERVICE_UNKNOWN (the stream stays open, as the protocol says) and nothing is kept for it.
 * Errors never echo the name back. A held-open `Watch` still keeps its call (and the name in it)
 * until the client cancels, so at most `maxWatches` are open at once, whatever their names;
 * further ones get RESOURCE_EXHAUSTED.
 */
export function createHealthState(options: { maxWatches: number }): HealthState {
  const names = Object.values(HEALTH_SERVICES);
  const statuses = new Map<string, ServingStatus>(names.map((name) => [name, 'NOT_SERVING']));
  statuses.set(HEALTH_SERVICES.liveness, 'SERVING');
  const watchers = new Map<string, Set<Watcher>>(names.map((name) => [name, new Set()]));
  let openWatches = 0;

  const setTraffic = (status: ServingStatus) => {
    for (const name of [HEALTH_SERVICES.overall, HEALTH_SERVICES.readiness, HEALTH_SERVICES.recommendations]) {
      statuses.set(name, status);
      for (const watcher of watchers.get(name) ?? []) watcher(status);
    }
  };

  const handlers = {
    check(call: ServerUnaryCall<{ service: string }, unknown>, callback: sendUnaryData<unknown>) {
      const status = statuses.get(call.request.service);
      if (status !== undefined) callback(null, { status });
      else callback({ code: Status.NOT_FOUND, details: 'unknown service name' });
    },
    watch(call: ServerWritableStream<{ service: string }, unknown>) {
      if (openWatches >= options.maxWatches) {
        call.emit('error', { code: Status.RESOURCE_EXHAUSTED, details: 'too many health watches open' });
        return;
      }
      openWatches += 1;
      call.once('cancelled', () => (openWatches -= 1));
      const name = call.request.service;
      const set = watchers.get(name);
      if (set === undefined) {
        call.write({ status: 'SERVICE_UNKNOWN' });
        return;
      }
      const watcher: Watcher = (status) => call.write({ status });
      set.add(watcher);
      call.once('cancelled', () => set.delete(watcher));
      call.write({ status: statuses.get(name) });
    },
    list(_call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) {
      callback(null, { statuses: Object.fromEntries([...statuses].map(([name, status]) => [name, { status }])) });
    },
  };

  return {
    addToServer: (server) => server.addService(healthService, handlers),
    markReady: () => setTraffic('SERVING'),
    markDraining: () => setTraffic('NOT_SERVING'),
  };
}
