import { loadConfigOrExit } from '@bookstore/service-kit';
import { Client, credentials } from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import { loadConfig } from './config';

/**
 * `node dist/health-probe.js`: exits 0 when this container's `readiness` health status is SERVING.
 * The container HEALTHCHECK for Docker and compose (Kubernetes uses its native gRPC probe).
 * With TLS on, it asks the plaintext HEALTH_PORT, as the Kubernetes probes do. The ports come from
 * the service's own config, so the probe and the server cannot disagree on a default.
 */
const config = loadConfigOrExit('recommendations health probe', loadConfig);
const port = config.tls === undefined ? config.port : config.healthPort;
const check = healthService.Check;
if (check === undefined) throw new Error('grpc-health-check has no Check method');
const client = new Client(`127.0.0.1:${port}`, credentials.createInsecure());
client.makeUnaryRequest(
  check.path,
  check.requestSerialize,
  check.responseDeserialize,
  { service: 'readiness' },
  { deadline: Date.now() + 2000 },
  (error, response) => {
    const status = response !== undefined && 'status' in response ? response.status : undefined;
    process.exitCode = !error && status === 'SERVING' ? 0 : 1;
    client.close();
  },
);
