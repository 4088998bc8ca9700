import { RECOMMENDATION_SERVICE_NAME } from '@bookstore/contracts';
import { sampleValue } from '@bookstore/test-support';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { isFailedPage, loadPage } from '../test/support/pages';

/**
 * The compose stack as scripts/e2e.sh starts it: three recommendations containers and the
 * marketplace on one Docker network, the marketplace dialing dns:///recommendations:50051.
 */
const BASE = process.env.E2E_BASE_URL ?? 'http://127.0.0.1:5000';
const PROJECT = process.env.E2E_PROJECT ?? 'bookstore-e2e';
/** scripts/e2e.sh runs this file against the plaintext stack, then with compose.mtls.yaml. */
const MTLS = process.env.E2E_TLS === 'mtls';

const compose = (...args: string[]) =>
  execFileSync('docker-compose', ['-p', PROJECT, '-f', '../../compose.yaml', ...args], {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
const containers = (service: string) => compose('ps', '-q', service).split('\n').filter(Boolean);
// `docker logs` of a replica that served the load tests runs to megabytes (compose logs every call,
// as `make run` does): past execFileSync's 1 MiB default buffer it fails with ENOBUFS.
const docker = (...args: string[]) =>
  execFileSync('docker', args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 }).trim();

/** Recommend calls a container answered OK, from its own /metrics (the port is not published). */
function servedBy(container: string): number {
  const text = docker(
    'exec',
    container,
    'node',
    '-e',
    "fetch('http://127.0.0.1:9090/metrics').then(r => r.text()).then(t => process.stdout.write(t))",
  );
  return sampleValue(text, 'grpc_server_handled_total', { grpc_method: 'Recommend', grpc_code: 'OK' }) ?? 0;
}

async function loadPages(count: number, during?: (i: number) => void) {
  const pages = [];
  for (let i = 0; i < count; i += 1) {
    during?.(i);
    pages.push(await loadPage(`${BASE}/`));
  }
  return pages;
}

describe('the compose stack', () => {
  it('serves the homepage and the catalog through port 5000', async () => {
    const home = await loadPage(`${BASE}/`);
    expect([home.status, home.books.length]).toEqual([200, 3]);
    const catalog = await fetch(`${BASE}/books`);
    expect(catalog.status).toBe(200);
    expect((await catalog.text()).match(/class="book"/g)?.length).toBeGreaterThanOrEqual(18);
  });

  it(
    MTLS
      ? 'names the marketplace (its client certificate) as the caller of every call'
      : 'runs without TLS: no caller identity',
    () => {
      const lines = containers('recommendations')
        .flatMap((c) => docker('logs', c).split('\n'))
        .filter((line) => line.includes('"rpc finished"'))
        .map((line) => JSON.parse(line) as { caller?: string; method: string });
      const calls = lines.filter((line) => line.method.startsWith(`/${RECOMMENDATION_SERVICE_NAME}/`));
      expect(calls.length).toBeGreaterThan(0);
      expect(new Set(calls.map((line) => line.caller))).toEqual(new Set([MTLS ? 'marketplace' : undefined]));
      // The rest are the containers' own health checks (with TLS on, over the plaintext health
      // port, so without a certificate to name a caller).
      const others = lines.filter((line) => !calls.includes(line)).map((line) => line.method);
      expect(others.filter((method) => !method.startsWith('/grpc.health.v1.Health/'))).toEqual([]);
    },
  );

  it('runs every container as uid 10001', () => {
    for (const container of [...containers('recommendations'), ...containers('marketplace')]) {
      expect(docker('exec', container, 'id', '-u')).toBe('10001');
    }
  });

  it("records book-page views in Valkey and personalises a reader's homepage from them", async () => {
    // Fresh readers each run (uid cookies the Marketplace accepts), so an old volume cannot help.
    const first = 1_000_000 + (Date.now() % 1_000_000) * 2;
    const other = { cookie: `uid=${first}` };
    const reader = { cookie: `uid=${first + 1}` };
    for (const id of [1, 10, 12]) expect((await fetch(`${BASE}/books/${id}`, { headers: other })).status).toBe(200);
    for (const id of [1, 2, 3]) expect((await fetch(`${BASE}/books/${id}`, { headers: reader })).status).toBe(200);
    // Outbox -> RecordEvents -> the log in Valkey -> a consumer -> the read models.
    let body = '';
    for (let attempt = 0; attempt < 150 && !body.includes('Because you viewed «The Maltese Falcon»'); attempt += 1) {
      body = await (await fetch(`${BASE}/?category=mystery`, { headers: reader })).text();
      if (!body.includes('Because you viewed')) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(body).toContain('Because you viewed «The Maltese Falcon»');
    expect(body).toContain('The Big Sleep');
    expect(body).not.toContain('>Murder on the Orient Express<');
  });

  it('spreads calls over all 3 replicas (Docker DNS answers each, round_robin uses each)', async () => {
    const replicas = containers('recommendations');
    expect(replicas).toHaveLength(3);
    const before = replicas.map(servedBy);
    const pages = await loadPages(300);
    expect(pages.filter(isFailedPage)).toEqual([]);
    const served = replicas.map((c, i) => servedBy(c) - (before[i] ?? 0));
    // Every page's Recommend answered once, plus the odd hedge: a call slower than the hedging
    // delay (25 ms, docs/operations.md) is sent to a second replica too, and both may answer OK.
    const total = served.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(300);
    expect(total).toBeLessThanOrEqual(330);
    for (const count of served) expect(count).toBeGreaterThanOrEqual(60);
  });

  it('fails no page while one replica is stopped during 500 page loads', async () => {
    const [victim] = containers('recommendations');
    let stopped: Promise<unknown> | undefined;
    const pages = await loadPages(500, (i) => {
      // Asynchronous, so page loads go on while the replica drains: docker stop sends SIGTERM
      // and waits (up to 15 s, then SIGKILL); the replica finishes its calls and exits 0.
      if (i === 100) stopped = promisify(execFile)('docker', ['stop', '-t', '15', victim as string]);
    });
    await stopped;
    expect(pages.filter(isFailedPage)).toEqual([]);
    expect(docker('inspect', '-f', '{{.State.ExitCode}}', victim as string)).toBe('0');
  });
});
