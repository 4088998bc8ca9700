import { loadConfigOrExit } from '@bookstore/service-kit';
import { loadConfig } from './config';

/**
 * `node dist/health-probe.js`: exits 0 when this container's `/readyz` answers 200. The container
 * HEALTHCHECK for Docker and compose; asks the metrics port, as the Kubernetes probes do, which
 * the public port's connection cap does not cover (health/probes.ts). The port comes from the service's
 * own config, so the probe and the server cannot disagree on a default.
 */
const { metricsPort: port } = loadConfigOrExit('marketplace health probe', loadConfig);
fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(2000) }).then(
  (response) => {
    process.exitCode = response.ok ? 0 : 1;
  },
  () => {
    process.exitCode = 1;
  },
);
