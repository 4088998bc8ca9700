import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { dirname, join } from 'node:path';
import { createTestPki } from '@bookstore/dev-certificates';
import { createEmbeddedStore } from '../../src/store/embedded-store';
import { startTestServer } from '../support/test-server';

/**
 * The contract from another language: a Python client generated from proto/ at run time
 * (Debian's python3-grpcio and python3-grpc-tools, installed by `make test`'s set-up) gets the
 * results and status codes the README lists. Without them this test fails, saying what to install.
 */
const ROOT = join(__dirname, '..', '..', '..', '..');
const PYTHON = '/usr/bin/python3';

describe('a Python client generated from proto/', () => {
  beforeAll(() => {
    const probe = spawnSync(PYTHON, ['-c', 'import grpc, grpc_tools'], { encoding: 'utf8' });
    if (!existsSync(PYTHON) || probe.status !== 0) {
      throw new Error('python3-grpcio and python3-grpc-tools are missing: run `make system-deps` (apt) first');
    }
  });

  it('calls over mutual TLS with the marketplace client certificate', async () => {
    const pki = createTestPki();
    const ca = await pki.authority('bookstore');
    const serverCert = await ca.issue({ commonName: 'recommendations', usage: 'server', altNames: ['localhost'] });
    const client = await ca.issue({ commonName: 'marketplace', usage: 'client', altNames: ['marketplace'] });
    const server = await startTestServer({
      env: {
        TLS_CERT_FILE: serverCert.certFile,
        TLS_KEY_FILE: serverCert.keyFile,
        TLS_CLIENT_CA_FILE: ca.caFile,
        TLS_ALLOWED_CLIENTS: 'marketplace',
      },
    });
    try {
      const run = (tls: Record<string, string>) =>
        promisify(execFile)(
          PYTHON,
          [
            join(ROOT, 'interop', 'python', 'check_client.py'),
            join(ROOT, 'proto'),
            server.address.replace('127.0.0.1', 'localhost'),
          ],
          {
            encoding: 'utf8',
            timeout: 60_000,
            env: { ...process.env, ...tls },
          },
        );
      const result = await run({
        TLS_CA_FILE: ca.caFile,
        TLS_CERT_FILE: client.certFile,
        TLS_KEY_FILE: client.keyFile,
      });
      expect(result.stdout).toContain('python client: all checks passed');
      const callers = server.logs.filter((line) => line.msg === 'rpc finished').map((line) => line.caller);
      expect(callers.length).toBeGreaterThan(4);
      expect(new Set(callers)).toEqual(new Set(['marketplace']));
      // Without the client certificate the same client is refused.
      await expect(run({ TLS_CA_FILE: ca.caFile })).rejects.toThrow(/StatusCode.UNAVAILABLE/);
    } finally {
      await server.close();
      pki.remove();
    }
  });

  it('gets the documented results and status codes, health, reflection, request id, limits and metrics', async () => {
    // With the embedded store and an import token: ImportEvents and GetBook too.
    const tokenDir = mkdtempSync(join(tmpdir(), 'interop-token-'));
    writeFileSync(join(tokenDir, 'token'), 'python-import-token');
    const store = createEmbeddedStore();
    const server = await startTestServer({ store, env: { IMPORT_TOKEN_FILE: join(tokenDir, 'token') } });
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
        { encoding: 'utf8', timeout: 60_000, env: { ...process.env, IMPORT_TOKEN: 'python-import-token' } },
      );
      expect(result.stderr).toBe('');
      for (const check of [
        'ImportEvents without a token -> UNAUTHENTICATED',
        'ImportEvents with the token -> 3 accepted',
        'GetBook 1 ->',
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
      await store.close();
      rmSync(tokenDir, { recursive: true, force: true });
    }
  });

  it('built from the contract before paging (an old client), still gets the whole catalog and its answers', async () => {
    const server = await startTestServer();
    try {
      const result = await promisify(execFile)(
        PYTHON,
        [join(ROOT, 'interop', 'python', 'check_client.py'), join(__dirname, 'before-paging'), server.address],
        { encoding: 'utf8', timeout: 60_000 },
      );
      expect(result.stdout).toContain('ok ListBooks -> 18 books in id order');
      expect(result.stdout).toContain('python client: all checks passed');
    } finally {
      await server.close();
    }
  });
});
