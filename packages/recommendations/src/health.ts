import { RECOMMENDATION_SERVICE_NAME } from '@bookstore/contracts';
import { HealthImplementation } from 'grpc-health-check';

/** The names the standard grpc.health.v1.Health service answers for. */
export const HEALTH_SERVICES = {
  overall: '',
  liveness: 'liveness',
  readiness: 'readiness',
  recommendations: RECOMMENDATION_SERVICE_NAME,
} as const;

export interface HealthState {
  readonly implementation: HealthImplementation;
  /** Catalog loaded and port bound: take traffic. */
  markReady(): void;
  /** Shutdown began: stop sending traffic here; the process still answers (liveness). */
  markDraining(): void;
}

/**
 * Liveness is SERVING while the process can answer. Readiness (and the overall and service
 * names, which clients and load balancers also watch) start NOT_SERVING, turn SERVING once the
 * server is ready and NOT_SERVING again as shutdown begins.
 */
export function createHealthState(): HealthState {
  const implementation = new HealthImplementation({
    [HEALTH_SERVICES.overall]: 'NOT_SERVING',
    [HEALTH_SERVICES.liveness]: 'SERVING',
    [HEALTH_SERVICES.readiness]: 'NOT_SERVING',
    [HEALTH_SERVICES.recommendations]: 'NOT_SERVING',
  });
  const setTraffic = (status: 'SERVING' | 'NOT_SERVING') => {
    implementation.setStatus(HEALTH_SERVICES.overall, status);
    implementation.setStatus(HEALTH_SERVICES.readiness, status);
    implementation.setStatus(HEALTH_SERVICES.recommendations, status);
  };
  return { implementation, markReady: () => setTraffic('SERVING'), markDraining: () => setTraffic('NOT_SERVING') };
}
