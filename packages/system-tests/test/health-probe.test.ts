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
  it.each(['recommendations', 'marketplace'] as const)(
    '%s: exit 0 on the PORT the service listens on, 1 on another, 1 with a stderr line for an invalid config',
    async (service) => {
      const env = { PORT: String(await freePort()) };
      const running = await startService(service, { ...env, RECOMMENDATIONS_ADDR: '127.0.0.1:1' });
      try {
        expect(await probe(service, env)).toEqual({ code: 0, stdout: '', stderr: '' });
        expect((await probe(service, { PORT: String(await freePort()) })).code).toBe(1);
        const invalid = await probe(service, { ...env, PORT: 'fifty' });
        expect(invalid.code).toBe(1);
        expect(invalid.stderr).toMatch(
          new RegExp(`^${service} health probe: invalid configuration:\\n  - PORT must be`),
        );
      } finally {
        await running.stop();
      }
    },
  );
});
