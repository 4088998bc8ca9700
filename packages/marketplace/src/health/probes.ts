import type { ProbeAnswer } from '@bookstore/service-kit';

/**
 * The answers of `/healthz` (the process answers) and `/readyz` (it can serve pages). Only
 * start-up waits for Recommendations (`isStarted`, health/startup-readiness.ts); after it, neither asks:
 * when it is down the pages degrade, so the marketplace stays ready.
 * Served on the public port and on the metrics port, which the probes use: the public port's
 * connection cap, full of a flood's clients, must not make the kubelet pull the pod.
 */
export function probeAnswers(
  isReady: () => boolean,
  isStarted: () => boolean = () => true,
): Record<'/healthz' | '/readyz', () => ProbeAnswer> {
  return {
    '/healthz': () => ({ statusCode: 200, body: { status: 'ok' } }),
    '/readyz': () => {
      if (!isReady()) return { statusCode: 503, body: { status: 'shutting down' } };
      if (!isStarted()) return { statusCode: 503, body: { status: 'starting' } };
      return { statusCode: 200, body: { status: 'ready' } };
    },
  };
}
