import { HealthClient } from '@bookstore/contracts';
import { loadConfigOrExit } from '@bookstore/service-kit';
import { credentials } from '@grpc/grpc-js';
import { loadConfig } from './config';

/**
 * `node dist/health-probe.js`: exits 0 when this container's `readiness` health status is SERVING.
 * The container HEALTHCHECK for Docker and compose (Kubernetes uses its native gRPC probe).
 * With TLS on, it asks the plaintext HEALTH_PORT, as the Kubernetes probes do. The ports come from
 * the service's own config, so the probe and the server cannot disagree on a default.
 */
const config = loadConfigOrExit('recommendations health probe', loadConfig);
const port = config.tls === undefined ? config.port : config.healthPort;
const client = new HealthClient(`127.0.0.1:${port}`, credentials.createInsecure());
client.check({ service: 'readiness' }, { deadline: Date.now() + 2000 }, (error, response) => {
  process.exitCode = !error && response?.status === 'SERVING' ? 0 : 1;
  client.close();
});
