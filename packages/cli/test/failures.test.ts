import { createRecommender, createCatalog, BOOKS } from '@bookstore/recommendations';
import { freePort } from '@bookstore/test-support';
import { startRecommendations, type RunningServer } from './support/recommendations-server';
import { runCli } from './support/run-cli';

describe('bookstore failures: the gRPC status on stderr, a distinct exit code', () => {
  it.each([['recommend', '--category', 'mystery'], ['books'], ['health'], ['watch-health']])(
    'server down: %s exits 24 (UNAVAILABLE)',
    async (...args) => {
      const result = await runCli(args, { RECOMMENDATIONS_ADDR: `127.0.0.1:${await freePort()}` });
      expect(result.code).toBe(24);
      expect(result.stderr).toMatch(/^bookstore: UNAVAILABLE: /);
      expect(result.stdout).toBe('');
    },
  );

  describe('against a real server', () => {
    let server: RunningServer;
    beforeAll(async () => {
      server = await startRecommendations();
    });
    afterAll(() => server.stop());

    it('NOT_FOUND: a category with no books exits 15', async () => {
      const result = await runCli(['recommend', '--category', '99'], { RECOMMENDATIONS_ADDR: server.address });
      expect(result).toEqual({ code: 15, stdout: '', stderr: 'bookstore: NOT_FOUND: no books in category 99\n' });
    });

    it('INVALID_ARGUMENT: the server names every wrong field, exit 13', async () => {
      const result = await runCli(['recommend', '--category', '0', '--max=-1'], {
        RECOMMENDATIONS_ADDR: server.address,
      });
      expect(result.code).toBe(13);
      expect(result.stderr).toBe(
        'bookstore: INVALID_ARGUMENT: max_results must be >= 0 (got -1); category is required\n',
      );
    });

    it('NOT_FOUND from health for a service it does not know', async () => {
      const result = await runCli(['health', '--service', 'nope'], { RECOMMENDATIONS_ADDR: server.address });
      expect(result.code).toBe(15);
      expect(result.stderr).toMatch(/^bookstore: NOT_FOUND: /);
    });
  });

  it('DEADLINE_EXCEEDED: a server slower than --deadline exits 14', async () => {
    const catalog = createRecommender({ catalog: createCatalog(BOOKS, { minPerCategory: 6 }) });
    const timers = new Set<NodeJS.Timeout>();
    const slow = await startRecommendations({
      recommender: {
        listBooks: (query) => catalog.listBooks(query),
        recommend: (query) =>
          new Promise((resolve) => timers.add(setTimeout(() => resolve(catalog.recommend(query)), 3000))),
      },
    });
    try {
      const result = await runCli(['recommend', '--category', 'mystery', '--deadline', '300'], {
        RECOMMENDATIONS_ADDR: slow.address,
      });
      expect(result.code).toBe(14);
      expect(result.stderr).toMatch(/^bookstore: DEADLINE_EXCEEDED: /);
    } finally {
      for (const timer of timers) clearTimeout(timer);
      await slow.stop();
    }
  });

  describe('bad flags print usage and exit 2, without calling anything', () => {
    const addr = { RECOMMENDATIONS_ADDR: '127.0.0.1:1' };
    it.each([
      [['recommend'], /required option '--category <name>' not specified/],
      [['recommend', '--category', 'fantasy'], /argument 'fantasy' is invalid/],
      [['recommend', '--category', 'mystery', '--max', 'three'], /argument 'three' is invalid/],
      [['books', '--bogus'], /unknown option '--bogus'/],
      [['shelves'], /unknown command 'shelves'/],
      [[], /Usage: bookstore/],
      [['health', '--deadline', '0'], /argument '0' is invalid/],
      [['health', '--cert', '/nonexistent.pem'], /--cert .* and --key .* go together/],
      [['health', '--ca', '/nonexistent/ca.pem'], /cannot read --ca \/nonexistent\/ca.pem/],
    ])('%j', async (args, message) => {
      const result = await runCli(args, addr);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).toMatch(/Usage: bookstore/);
      expect(result.stdout).toBe('');
    });
  });

  it('--help prints the exit codes and exits 0, as do `help <command>` and `<command> --help`', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/24\s+UNAVAILABLE/);
    for (const args of [
      ['help', 'recommend'],
      ['recommend', '--help'],
    ]) {
      const help = await runCli(args);
      expect({ args, code: help.code }).toEqual({ args, code: 0 });
      expect(help.stdout).toMatch(/Usage: bookstore recommend/);
    }
  });
});
