import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync } from 'node:fs';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { dirname, join } from 'node:path';
import { startTestServer } from '../support/test-server';

/**
 * The contract from another language: a Python client generated from proto/ at run time
 * (Debian's python3-grpcio and python3-grpc-tools, installed by `make test`'s set-up) gets the
 * results and status codes the README lists. Without them this test fails, saying what to install.
 */
const ROOT = join(__dirname, '..', '..', '..', '..');
const PYTHON = '/usr/bin/python3';

describe('a Python client generated from proto/', () => {
  it('gets the documented results and status codes, health, reflection, request id, limits and metrics', async () => {
    const probe = spawnSync(PYTHON, ['-c', 'import grpc, grpc_tools'], { encoding: 'utf8' });
    if (!existsSync(PYTHON) || probe.status !== 0) {
      throw new Error('python3-grpcio and python3-grpc-tools are missing: run `make system-deps` (apt) first');
    }
    const server = await startTestServer();
    try {
      // Asynchronous: the server runs in this process and must keep answering meanwhile.
      const result = await promisify(execFile)(
        PYTHON,
        [
          join(ROOT, 'interop', 'python', 'check_client.py'),
          join(ROOT, 'proto'),
          server.address,
          dirname(dirname(dirname(healthProtoPath))),
          join(require.resolve('@grpc/reflection/package.json'), '..', 'build', 'proto'),
          `http://127.0.0.1:${server.ports.metricsPort}/metrics`,
        ],
        { encoding: 'utf8', timeout: 60_000 },
      );
      expect(result.stderr).toBe('');
      for (const check of [
        'x-request-id echoed',
        '1 MiB request -> RESOURCE_EXHAUSTED',
        'health',
        'reflection lists',
      ]) {
        expect(result.stdout).toContain(check);
      }
      expect(result.stdout).toContain('python client: all checks passed');
    } finally {
      await server.close();
    }
  });
});
