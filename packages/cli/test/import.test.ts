import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestCa, type TestCa } from './support/certificates';
import { startRecommendations, type RunningServer } from './support/recommendations-server';
import { runCli, spawnCli } from './support/run-cli';
import { fetchMetricsText, runToEnd, sampleValue } from '@bookstore/test-support';

const TOKEN = 'import-token-for-tests';
const line = (eventId: string, userId: number, bookId: number) =>
  JSON.stringify({ eventId, userId, bookId, kind: 'READER_EVENT_KIND_VIEWED', occurredAt: '2026-11-30T10:00:00Z' });

describe('bookstore import', () => {
  let dir: string;
  let tokenFile: string;
  let eventsFile: string;
  let server: RunningServer;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cli-import-'));
    tokenFile = join(dir, 'token');
    writeFileSync(tokenFile, `${TOKEN}\n`);
    eventsFile = join(dir, 'events.jsonl');
    const lines = Array.from({ length: 1_000 }, (_, i) => line(`e-${i}`, 1 + (i % 50), 1 + (i % 18)));
    writeFileSync(eventsFile, `${lines.join('\n')}\n`);
    server = await startRecommendations({ withStore: true, env: { IMPORT_TOKEN_FILE: tokenFile } });
  });
  afterAll(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const cli = (...args: string[]) => runCli(['--addr', server.address, ...args]);

  it('streams a file and prints what was stored; a second run finds every event a duplicate', async () => {
    const first = await cli('--json', 'import', eventsFile, '--token-file', tokenFile, '--insecure-token');
    expect({ code: first.code, stderr: first.stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(first.stdout)).toMatchObject({ accepted: 1_000, duplicates: 0, rejected: 0 });
    const again = await cli('import', eventsFile, '--token-file', tokenFile, '--insecure-token');
    expect(again.code).toBe(0);
    expect(again.stdout).toBe('accepted 0, duplicates 1000, rejected 0\n');
  });

  it('sends gzip-compressed messages with --compression gzip, which the server reads like plain ones', async () => {
    const file = join(dir, 'gzip.jsonl');
    writeFileSync(file, `${Array.from({ length: 50 }, (_, i) => line(`gz-${i}`, 60, 1 + (i % 18))).join('\n')}\n`);
    const result = await cli('import', file, '--token-file', tokenFile, '--insecure-token', '--compression', 'gzip');
    expect({ code: result.code, stdout: result.stdout, stderr: result.stderr }).toEqual({
      code: 0,
      stdout: 'accepted 50, duplicates 0, rejected 0\n',
      stderr: '',
    });
  });

  it('imports a file over several calls, the rejections at their place in the whole file', async () => {
    const file = join(dir, 'calls.jsonl');
    const lines = Array.from({ length: 12 }, (_, i) => line(`calls-${i}`, 70, i === 7 ? 99 : 1 + i));
    writeFileSync(file, `${lines.join('\n')}\n`);
    const calls = async () =>
      sampleValue(await fetchMetricsText(server.metricsPort), 'grpc_server_handled_total', {
        grpc_method: 'ImportEvents',
      }) ?? 0;
    const before = await calls();
    const result = await cli('import', file, '--token-file', tokenFile, '--insecure-token', '--events-per-call', '5');
    expect((await calls()) - before).toBe(3);
    expect({ code: result.code, stdout: result.stdout }).toEqual({
      code: 4,
      stdout: 'accepted 11, duplicates 0, rejected 1\n  event #7 calls-7: unknown book 99\n',
    });
  });

  it('reads stdin with -, lists rejected events and unreadable lines, and exits 4', async () => {
    const args = ['--addr', server.address, 'import', '-', '--token-file', tokenFile, '--insecure-token'];
    const child = spawnCli(args, {}, 'pipe');
    const done = runToEnd(child, 15_000);
    // A fractional user id would fail the encoder, and with it the whole call: a local problem instead.
    const fractional = line('s-3', 1, 2).replace('"userId":1', '"userId":1.5');
    child.stdin?.end(`${line('s-1', 1, 2)}\nnot json\n\n${line('s-2', 1, 99)}\n${fractional}\n`);
    const result = await done;
    expect(result.code).toBe(4);
    expect(result.stdout).toBe(
      'accepted 1, duplicates 0, rejected 3\n  event #1 s-2: unknown book 99\n  line 2: not JSON\n  line 5: userId is not a 32-bit integer\n',
    );
  });

  it('--deadline bounds each call: an import whose input stalls ends DEADLINE_EXCEEDED (exit 14)', async () => {
    const args = ['--addr', server.address, '--deadline', '300', 'import', '-', '--token-file', tokenFile];
    const child = spawnCli([...args, '--insecure-token'], {}, 'pipe');
    const done = runToEnd(child, 15_000);
    // One event, then stdin stays open: without a deadline the call would wait for more forever.
    child.stdin?.write(`${line('d-1', 1, 2)}\n`);
    const result = await done;
    child.stdin?.destroy();
    expect(result.code).toBe(14);
    expect(result.stderr).toContain('DEADLINE_EXCEEDED');
  });

  it('reports a line past 4,096 characters as a problem and goes on with the next line', async () => {
    const file = join(dir, 'long-line.jsonl');
    writeFileSync(file, `${'x'.repeat(3_000_000)}\n${line('l-1', 1, 2)}\n`);
    const result = await cli('import', file, '--token-file', tokenFile, '--insecure-token');
    expect({ code: result.code, stdout: result.stdout }).toEqual({
      code: 4,
      stdout: 'accepted 1, duplicates 0, rejected 1\n  line 1: longer than 4096 characters\n',
    });
  });

  it('refuses to send the token without TLS unless --insecure-token says so', async () => {
    const result = await cli('import', eventsFile, '--token-file', tokenFile);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('refusing to send the import token without TLS');
  });

  it('without a token the server answers UNAUTHENTICATED (exit 26); a wrong one PERMISSION_DENIED (exit 17)', async () => {
    expect(await cli('import', eventsFile)).toMatchObject({ code: 26 });
    const wrong = join(dir, 'wrong');
    writeFileSync(wrong, 'not-the-token');
    const result = await cli('import', eventsFile, '--token-file', wrong, '--insecure-token');
    expect(result.code).toBe(17);
    expect(result.stderr).toContain('PERMISSION_DENIED');
  });
});

describe('bookstore import when the server cuts a call', () => {
  let dir: string;
  let server: RunningServer;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'cli-import-cut-'));
    writeFileSync(join(dir, 'token'), TOKEN);
    // Connections end at 1 s with no grace: a call still open then is cut (UNAVAILABLE).
    server = await startRecommendations({
      withStore: true,
      env: { IMPORT_TOKEN_FILE: join(dir, 'token'), MAX_CONNECTION_AGE_MS: '1000', MAX_CONNECTION_AGE_GRACE_MS: '0' },
    });
  });
  afterAll(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends the cut call again in full, so every event is stored once', async () => {
    const args = ['--addr', server.address, 'import', '-', '--token-file', join(dir, 'token'), '--insecure-token'];
    const child = spawnCli([...args, '--json'], {}, 'pipe');
    const done = runToEnd(child, 20_000);
    const stderr: string[] = [];
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
    child.stdin?.write(Array.from({ length: 10 }, (_, i) => `${line(`cut-${i}`, 1, 1 + i)}\n`).join(''));
    // The connection is cut about a second in; its UNAVAILABLE shows when the next event is read.
    const cut = async () =>
      sampleValue(await fetchMetricsText(server.metricsPort), 'grpc_server_handled_total', {
        grpc_method: 'ImportEvents',
      }) ?? 0;
    const deadline = Date.now() + 10_000;
    while ((await cut()) < 1 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    child.stdin?.end(Array.from({ length: 10 }, (_, i) => `${line(`cut-${10 + i}`, 1, 1 + i)}\n`).join(''));
    const result = await done;
    expect(result.code).toBe(0);
    expect(stderr.join('')).toContain('failed (UNAVAILABLE');
    expect(JSON.parse(result.stdout)).toMatchObject({ accepted: 20, duplicates: 0, rejected: 0, resentCalls: 1 });
  });
});

describe('bookstore import over TLS', () => {
  let ca: TestCa;
  let dir: string;
  let server: RunningServer;
  beforeAll(async () => {
    ca = createTestCa('import');
    dir = mkdtempSync(join(tmpdir(), 'cli-import-tls-'));
    writeFileSync(join(dir, 'token'), TOKEN);
    writeFileSync(join(dir, 'events.jsonl'), `${line('t-1', 3, 4)}\n`);
    const cert = ca.issue('recommendations', { server: ['localhost', '127.0.0.1'] });
    server = await startRecommendations({
      withStore: true,
      env: { TLS_CERT_FILE: cert.certFile, TLS_KEY_FILE: cert.keyFile, IMPORT_TOKEN_FILE: join(dir, 'token') },
    });
  });
  afterAll(async () => {
    await server.stop();
    ca.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends the token as call credentials combined with the TLS channel', async () => {
    const args = ['--addr', `localhost:${server.port}`, '--ca', ca.caFile, 'import', join(dir, 'events.jsonl')];
    const result = await runCli([...args, '--token-file', join(dir, 'token')]);
    expect({ code: result.code, stdout: result.stdout, stderr: result.stderr }).toEqual({
      code: 0,
      stdout: 'accepted 1, duplicates 0, rejected 0\n',
      stderr: '',
    });
    expect((await runCli(args)).code).toBe(26);
  });
});
