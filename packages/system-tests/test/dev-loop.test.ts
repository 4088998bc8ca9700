import {
  BookCategory,
  ListBooksRequest,
  type ListBooksResponse,
  RecommendationServiceClient,
} from '@bookstore/contracts';
import { credentials } from '@grpc/grpc-js';
import { spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { copyOfServices, REPO } from './support/dev-copy';
import { freePort } from '@bookstore/test-support';
import { killGroup, watchOutput } from './support/terminal';

async function mysteryTitles(port: number): Promise<string[]> {
  const client = new RecommendationServiceClient(`127.0.0.1:${port}`, credentials.createInsecure());
  try {
    const titles: string[] = [];
    const stream = client.listBooks(ListBooksRequest.create({ category: BookCategory.BOOK_CATEGORY_MYSTERY }), {
      deadline: Date.now() + 5000,
    });
    for await (const message of stream) titles.push((message as ListBooksResponse).book?.title ?? '');
    return titles;
  } finally {
    client.close();
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('make dev (scripts/dev.js) on a copy of the services sources', () => {
  it('restarts after a source change, keeps the last good process on a compile error, Ctrl+C stops all', async () => {
    const root = copyOfServices(['recommendations', 'marketplace']);
    const port = await freePort();
    const webPort = await freePort();
    const dev = spawn(process.execPath, [join(REPO, 'scripts', 'dev.js'), '--root', root], {
      env: {
        PATH: process.env.PATH ?? '',
        HOST: '127.0.0.1',
        RECOMMENDATIONS_PORT: String(port),
        PORT: String(webPort),
        METRICS_PORT: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so `finally` can end the compilers and the service whatever happens.
      detached: true,
    });
    const run = watchOutput(dev);
    const pids: number[] = [];
    const webPids: number[] = [];
    createInterface({ input: dev.stdout }).on('line', (line) => {
      const entry = JSON.parse(line) as { msg: string; pid: number };
      if (entry.msg === 'recommendations listening') pids.push(entry.pid);
      if (entry.msg === 'marketplace listening') webPids.push(entry.pid);
    });
    const listening = (count: number) =>
      run.waitFor(new RegExp(`("msg":"recommendations listening"[\\s\\S]*){${count}}`), 60_000);
    const booksFile = join(root, 'packages', 'recommendations', 'src', 'domain', 'books.ts');
    const original = readFileSync(booksFile, 'utf8');
    try {
      await listening(1);
      expect(await mysteryTitles(port)).toContain('The Maltese Falcon');

      const edited = original.replace("'The Maltese Falcon'", "'The Maltese Falcon (2nd edition)'");
      expect(edited).not.toBe(original);
      writeFileSync(booksFile, edited);
      await listening(2);
      expect(pids[1]).not.toBe(pids[0]);
      expect(await mysteryTitles(port)).toContain('The Maltese Falcon (2nd edition)');

      writeFileSync(booksFile, `${edited}\nexport const broken: number = 'not a number';\n`);
      await run.waitFor(/compile error\(s\); the running service keeps running\n.*error TS2322/, 60_000);
      expect(run.output().match(/error TS2322/g)).toHaveLength(1);
      expect(isRunning(pids[1]!)).toBe(true);
      expect(await mysteryTitles(port)).toContain('The Maltese Falcon (2nd edition)');

      writeFileSync(booksFile, original);
      await listening(3);
      expect(await mysteryTitles(port)).toContain('The Maltese Falcon');
      expect(pids).toHaveLength(3);
      expect(run.output().match(/error TS2322/g)).toHaveLength(1);

      // A template change restarts the marketplace only, and the page shows it.
      await run.waitFor(/"msg":"marketplace listening"/);
      expect(webPids).toHaveLength(1);
      const home = join(root, 'packages', 'marketplace', 'views', 'home.hbs');
      writeFileSync(home, readFileSync(home, 'utf8').replace('<h1>{{heading}}</h1>', '<h1>{{heading}} (edited)</h1>'));
      await run.waitFor(/("msg":"marketplace listening"[\s\S]*){2}/, 60_000);
      expect(webPids[1]).not.toBe(webPids[0]);
      expect(await (await fetch(`http://127.0.0.1:${webPort}/?category=mystery`)).text()).toContain('(edited)</h1>');
      expect(pids).toHaveLength(3);

      dev.kill('SIGINT');
      expect(await run.exited).toBe(0);
      for (const pid of [...pids, ...webPids]) expect(isRunning(pid)).toBe(false);
    } finally {
      killGroup(dev); // also when dev.js itself died: its compilers and services share the group
      rmSync(root, { recursive: true, force: true });
    }
  }, 180_000);
});
