/**
 * `node dist/health-probe.js`: exits 0 when this container's `/readyz` answers 200. The container
 * HEALTHCHECK for Docker and compose; asks the metrics port, as the Kubernetes probes do, which
 * the public port's connection cap does not cover (probes.ts).
 */
const port = process.env.METRICS_PORT ?? '9091';
fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(2000) }).then(
  (response) => {
    process.exitCode = response.ok ? 0 : 1;
  },
  () => {
    process.exitCode = 1;
  },
);
