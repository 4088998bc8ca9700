import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Claims of the documentation that would otherwise drift from what they describe: the README's
 * performance figures, the benchmark machine, `make help`, the Node version comments give as a
 * reason, a connection default's prose, and the paths docs/architecture.md walks through.
 * (Each service's environment tables: packages/<service>/test/config-docs.test.ts.)
 */
const ROOT = join(__dirname, '..', '..', '..');
const text = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const FIGURES = join(ROOT, 'scripts', 'readme-figures.js');
const figures = (...args: string[]) => spawnSync(process.execPath, [FIGURES, '--check', ...args], { encoding: 'utf8' });
const latest = JSON.parse(text('bench/results/latest.json')) as { machine: { model: string } };

describe("the README's performance figures", () => {
  it('are the ones scripts/readme-figures.js writes from bench/results/latest.json', () => {
    const check = figures();
    expect(check.stderr).toBe('');
    expect(check.status).toBe(0);
  });

  it('fail the check when one of them is edited by hand', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'readme-figures-'));
    try {
      const readme = join(scratch, 'README.md');
      // A figure other than the one written (a fixed one would match latest.json some day).
      const edited = text('README.md').replace(
        /Recommend \*\*([\d.]+)k req\/s\*\*/,
        (_match, rate: string) => `Recommend **${(Number(rate) + 1).toFixed(1)}k req/s**`,
      );
      expect(edited).not.toBe(text('README.md'));
      writeFileSync(readme, edited);
      const check = figures('--readme', readme);
      expect(check.status).toBe(1);
      expect(check.stderr).toContain('differ from latest.json');
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});

it('docs/benchmarks.md names the CPU its latest results were measured on', () => {
  const machine = text('docs/benchmarks.md').split('## Machine and method')[1]?.split('\n## ')[0] ?? '';
  expect(machine).toContain(latest.machine.model);
});

it('`make help` lists every target of the Makefile', () => {
  const makefile = text('Makefile');
  const targets = [...makefile.matchAll(/^([a-z0-9-]+):/gm)].map((match) => match[1]);
  const described = [...makefile.matchAll(/^([a-z0-9-]+):.*## /gm)].map((match) => match[1]);
  expect(targets.length).toBeGreaterThan(20);
  expect(described).toEqual(targets);
});

it('no comment in the sources gives a Node version other than the pinned one as a reason', () => {
  const major = text('.node-version').trim().split('.')[0];
  const sources = readdirSync(join(ROOT, 'packages')).flatMap((pkg) => {
    const src = join('packages', pkg, 'src');
    if (!existsSync(join(ROOT, src))) return [];
    return readdirSync(join(ROOT, src), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts') && !file.split(/[\\/]/).includes('gen'))
      .map((file) => join(src, file));
  });
  const stale = [...sources, 'jest.config.base.js'].flatMap((file) =>
    [...text(file).matchAll(/\bNode(?:\.js)? (\d+)\b/g)]
      .filter((match) => match[1] !== major)
      .map((match) => `${file}: ${match[0]}`),
  );
  expect(stale).toEqual([]);
});

it("docs/operations.md's reason for the stream limit names the limit its table gives", () => {
  const operations = text('docs/operations.md');
  const limit = /^\| `MAX_CONCURRENT_STREAMS` \| `(\d+)` \|/m.exec(operations)?.[1];
  expect(limit).toBeDefined();
  expect([...operations.matchAll(/\*\*(\d+) concurrent streams\.\*\*/g)].map((match) => match[1])).toEqual([limit]);
});

describe('docs/architecture.md', () => {
  const architecture = text('docs/architecture.md');
  const paths = [...architecture.matchAll(/`((?:packages|proto)\/[^`\s]+)`/g)].map((match) => match[1] as string);

  it('is linked from the README', () => {
    expect(text('README.md')).toContain('(docs/architecture.md)');
  });

  it('names each file of the request once, and every one exists', () => {
    expect(paths.length).toBeGreaterThan(40);
    expect(paths.filter((path, i) => paths.indexOf(path) !== i)).toEqual([]);
    expect(paths.filter((path) => !existsSync(join(ROOT, path)))).toEqual([]);
  });
});
