import { parse as html } from 'node-html-parser';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runToExit, startService, type ServiceProcess } from './support/processes';

describe('the built bookstore, as users run it', () => {
  let recommendations: ServiceProcess;
  let marketplace: ServiceProcess;

  beforeAll(async () => {
    recommendations = await startService('recommendations', { PORT: '0', HOST: '127.0.0.1' });
    marketplace = await startService('marketplace', {
      PORT: '0',
      HOST: '127.0.0.1',
      RECOMMENDATIONS_ADDR: `dns:///localhost:${recommendations.port}`,
    });
  });
  afterAll(async () => {
    await marketplace?.stop();
    await recommendations?.stop();
  });

  it('serves the homepage with 3 recommended books (the tutorial integration check)', async () => {
    const response = await fetch(`http://127.0.0.1:${marketplace.port}/`);
    expect(response.status).toBe(200);
    const page = html(await response.text());
    expect(page.querySelector('title')?.text).toBe('Online Books For You');
    expect(page.querySelectorAll('main li')).toHaveLength(3);
  });

  it('serves the whole catalog at /books: every book the API lists', async () => {
    const page = html(await (await fetch(`http://127.0.0.1:${marketplace.port}/books`)).text());
    const api = (await (await fetch(`http://127.0.0.1:${marketplace.port}/api/v1/books`)).json()) as {
      books: { title: string }[];
    };
    expect(api.books.length).toBeGreaterThan(0);
    const titles = page.querySelectorAll('main li .book-title').map((t) => t.text);
    expect(titles.sort()).toEqual(api.books.map((b) => b.title).sort());
  });

  it('logs one JSON line per RPC in recommendations', async () => {
    const headers = { 'x-request-id': 'one-line-per-rpc' };
    await fetch(`http://127.0.0.1:${marketplace.port}/?category=self-help`, { headers });
    const line = await recommendations.waitForLog(
      (l) => l.msg === 'rpc finished' && l.requestId === headers['x-request-id'],
    );
    expect(line).toEqual(
      expect.objectContaining({
        method: '/bookstore.recommendations.v1.RecommendationService/Recommend',
        code: 'OK',
        durationMs: expect.any(Number) as number,
      }),
    );
    // One line per attempt: two when the call was hedged (slower than the hedging delay, 25 ms).
    const lines = recommendations.logs.filter((l) => l.requestId === headers['x-request-id']);
    expect(lines.map((l) => l.msg)).toEqual(lines.length === 2 ? ['rpc finished', 'rpc finished'] : ['rpc finished']);
  });

  it('stops both on SIGTERM with exit code 0', async () => {
    expect(await marketplace.stop('SIGTERM')).toBe(0);
    expect(await recommendations.stop('SIGTERM')).toBe(0);
  });
});

describe('start-up with invalid configuration', () => {
  it.each([
    [
      'recommendations',
      { PORT: 'http', LOG_LEVEL: 'loud' },
      ['PORT must be an integer from 0 to 65535', 'LOG_LEVEL must be one of'],
    ],
    [
      'marketplace',
      { RECOMMENDATIONS_TIMEOUT_MS: '0' },
      ['RECOMMENDATIONS_TIMEOUT_MS must be an integer from 1 to 60000'],
    ],
  ] as const)('%s exits 1 with one message naming every problem', async (service, env, problems) => {
    const { code, stderr } = await runToExit(service, env);
    expect(code).toBe(1);
    expect(stderr.split('\n')[0]).toBe(`${service}: invalid configuration:`);
    for (const problem of problems) expect(stderr).toContain(problem);
  });
});

describe('start-up with an invalid CATALOG_FILE', () => {
  it('recommendations exits 1 naming the line and the fault of each bad line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalog-'));
    try {
      const file = join(dir, 'catalog.jsonl');
      writeFileSync(
        file,
        [
          '{"id":1,"title":"A","author":"B","category":"mystery"}',
          '{"id":2,"title":"A"',
          '{"id":1,"title":"C","author":"D","category":"poetry"}',
        ].join('\n'),
      );
      const { code, stderr } = await runToExit('recommendations', { CATALOG_FILE: file });
      expect(code).toBe(1);
      expect(stderr).toContain('problem(s) in the catalog:');
      expect(stderr).toMatch(/\n {2}line 2: not JSON/);
      expect(stderr).toContain(
        '\n  line 3: category must be one of mystery, science-fiction, self-help (got "poetry")',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
