import { BookCategory } from '@bookstore/contracts';
import { runToEnd } from '@bookstore/test-support';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { startRecommendations, titlesOf, type RunningServer } from './support/recommendations-server';

const REPO = join(__dirname, '..', '..', '..');

/** The shell block after `<!-- readme-test: name -->` in the README, as a reader copies it. */
function readmeBlock(name: string): string {
  const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
  const match = new RegExp(`<!-- readme-test: ${name} -->\\n\`\`\`sh\\n([\\s\\S]*?)\`\`\``).exec(readme);
  if (match?.[1] === undefined) throw new Error(`README.md has no readme-test block named ${name}`);
  return match[1];
}

/** Runs a shell script with bash in the repository root, as a reader's terminal would. */
function shell(script: string, env: Record<string, string>) {
  const child = spawn('bash', ['-c', script], {
    cwd: REPO,
    env: { PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`, HOME: process.env.HOME ?? '/tmp', ...env },
  });
  return runToEnd(child, 20_000);
}

describe('the README commands, run as documented against a real server', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startRecommendations();
  });
  afterAll(() => server.stop());

  it('the tutorial session as CLI calls: each line exits as its comment says', async () => {
    const [alias, ...commands] = readmeBlock('cli-session').trimEnd().split('\n');
    expect(alias).toMatch(/^alias bookstore=/);
    expect(commands.length).toBeGreaterThanOrEqual(4);
    for (const command of commands) {
      const expected = /# exit (\d+): ([A-Z_]+)/.exec(command);
      const result = await shell(`shopt -s expand_aliases\n${alias}\n${command}`, {
        RECOMMENDATIONS_ADDR: server.address,
      });
      expect({ command, code: result.code }).toEqual({ command, code: expected ? Number(expected[1]) : 0 });
      if (expected) expect(result.stderr).toContain(`bookstore: ${expected[2]}: `);
      else expect(result.stdout).not.toBe('');
    }
  });

  it('buf curl calls Recommend through reflection', async () => {
    const result = await shell(readmeBlock('buf-curl'), { RECOMMENDATIONS_ADDR: server.address });
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    const { recommendations } = JSON.parse(result.stdout) as { recommendations: { id: number; title: string }[] };
    expect(recommendations).toHaveLength(3);
    for (const book of recommendations) expect(titlesOf(BookCategory.BOOK_CATEGORY_MYSTERY)).toContain(book.title);
  });
});
