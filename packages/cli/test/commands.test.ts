import { BookCategory, RECOMMENDATION_SERVICE_NAME } from '@bookstore/contracts';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { startRecommendations, titlesOf, type RunningServer } from './support/recommendations-server';
import { runCli, spawnCli } from './support/run-cli';

const {
  BOOK_CATEGORY_MYSTERY: MYSTERY,
  BOOK_CATEGORY_SCIENCE_FICTION: SCIENCE_FICTION,
  BOOK_CATEGORY_SELF_HELP: SELF_HELP,
} = BookCategory;

describe('bookstore against a real Recommendations server', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startRecommendations();
  });
  afterAll(() => server.stop());

  const cli = (...args: string[]) => runCli(args, { RECOMMENDATIONS_ADDR: server.address });

  it('recommend prints a table of distinct books of the category (3 by default)', async () => {
    const { code, stdout, stderr } = await cli('recommend', '--category', 'mystery');
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const [header, ...rows] = stdout.trimEnd().split('\n');
    expect(header).toMatch(/^ID\s+TITLE$/);
    expect(rows).toHaveLength(3);
    const titles = rows.map((row) => row.replace(/^\s*\d+\s+/, ''));
    expect(new Set(titles).size).toBe(3);
    for (const title of titles) expect(titlesOf(MYSTERY)).toContain(title);
  });

  it('recommend --json answers one JSON document; --max and --user are sent', async () => {
    const { code, stdout } = await cli(
      '--json',
      'recommend',
      '--category',
      'BOOK_CATEGORY_MYSTERY',
      '--max',
      '2',
      '--user',
      '7',
    );
    expect(code).toBe(0);
    const { recommendations } = JSON.parse(stdout) as { recommendations: { id: number; title: string }[] };
    expect(recommendations).toHaveLength(2);
    for (const book of recommendations) expect(titlesOf(MYSTERY)).toContain(book.title);
  });

  it('books lists one category in id order as a table, the whole catalog as JSON', async () => {
    const table = await cli('books', '--category', 'self-help');
    expect(table.code).toBe(0);
    const [header, ...rows] = table.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^ID\s+TITLE\s+AUTHOR\s+CATEGORY$/);
    expect(rows.map((row) => row.replace(/^\s*\d+\s+/, '').split(/\s{2,}/)[0])).toEqual(titlesOf(SELF_HELP));
    for (const row of rows) expect(row).toMatch(/\sself-help$/);

    const json = await cli('books', '--json');
    const { books } = JSON.parse(json.stdout) as { books: { id: number; category: string }[] };
    expect(books.length).toBe(titlesOf(MYSTERY).length + titlesOf(SCIENCE_FICTION).length + titlesOf(SELF_HELP).length);
    expect(books.map((book) => book.id)).toEqual([...books.map((book) => book.id)].sort((a, b) => a - b));
    expect(new Set(books.map((book) => book.category))).toEqual(new Set(['mystery', 'science-fiction', 'self-help']));
  });

  it('health reports SERVING (exit 0) for the overall status and for a named service', async () => {
    const overall = await cli('health');
    expect({ code: overall.code, stderr: overall.stderr }).toEqual({ code: 0, stderr: '' });
    expect(overall.stdout).toMatch(/\(overall\)\s+SERVING/);
    const named = await cli('health', '--json', '--service', RECOMMENDATION_SERVICE_NAME);
    expect(named.code).toBe(0);
    expect(JSON.parse(named.stdout)).toEqual({
      service: RECOMMENDATION_SERVICE_NAME,
      status: 'SERVING',
    });
  });
});

describe('bookstore watch-health', () => {
  it('prints the status, then each change; Ctrl+C ends it with exit 0', async () => {
    // A long grace: the server's stop waits for the open watch, which only Ctrl+C ends.
    const server = await startRecommendations({ env: { SHUTDOWN_GRACE_MS: '20000' } });
    const child = spawnCli(['watch-health', '--json', '--service', 'readiness'], {
      RECOMMENDATIONS_ADDR: server.address,
    });
    const exited = once(child, 'exit');
    try {
      const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
      const next = async () => JSON.parse((await lines.next()).value as string) as { service: string; status: string };
      expect(await next()).toMatchObject({ service: 'readiness', status: 'SERVING' });
      // Graceful shutdown turns readiness NOT_SERVING first; the watch sees the change.
      const stopping = server.stop();
      expect(await next()).toMatchObject({ service: 'readiness', status: 'NOT_SERVING' });
      child.kill('SIGINT');
      const [code] = (await exited) as [number | null];
      expect(code).toBe(0);
      await stopping;
    } finally {
      child.kill('SIGKILL');
      await server.stop();
    }
  });
});
