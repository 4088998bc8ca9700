import { freePort, runToEnd } from '@bookstore/test-support';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startService } from './support/processes';

const PACKAGES = join(__dirname, '..', '..');

/** `node dist/health-probe.js` as the images' HEALTHCHECK runs it, with the container's environment. */
function probe(service: 'recommendations' | 'marketplace', env: Record<string, string>) {
  const child = spawn(process.execPath, [join(PACKAGES, service, 'dist', 'health-probe.js')], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return runToEnd(child);
}

describe('the container health probes read their port through the service config', () => {
  // Recommendations' probe asks its gRPC port; the Marketplace's asks the metrics port, which the
  // public port's connection cap does not cover (see probe-flood.test.ts).
  it.each([
    ['recommendations', 'PORT'],
    ['marketplace', 'METRICS_PORT'],
  ] as const)(
    '%s: exit 0 on the %s the service listens on, 1 on another, 1 with a stderr line for an invalid config',
    async (service, variable) => {
      const env = { [variable]: String(await freePort()) };
      // No Recommendations behind the marketplace: ready at once (no start-up wait) for the probe.
      const running = await startService(service, {
        ...env,
        RECOMMENDATIONS_ADDR: '127.0.0.1:1',
        RECOMMENDATIONS_STARTUP_TIMEOUT_MS: '0',
      });
      try {
        expect(await probe(service, env)).toEqual({ code: 0, stdout: '', stderr: '' });
        expect((await probe(service, { [variable]: String(await freePort()) })).code).toBe(1);
        const invalid = await probe(service, { ...env, [variable]: 'fifty' });
        expect(invalid.code).toBe(1);
        expect(invalid.stderr).toMatch(
          new RegExp(`^${service} health probe: invalid configuration:\\n  - ${variable} must be`),
        );
      } finally {
        await running.stop();
      }
    },
  );
});
