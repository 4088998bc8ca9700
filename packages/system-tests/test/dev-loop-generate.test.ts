import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from './support/dev-copy';
import { eventually } from './support/hostile';
import { killGroup, watchOutput } from './support/terminal';

/** Gone, or a zombie nobody has reaped yet (it runs no more either way). */
function isGone(pid: number): boolean {
  try {
    return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

describe('make dev (scripts/dev.js) stopping while `make generate` runs', () => {
  it('SIGTERM ends the running `make generate` and what its recipe started, then exits 0', async () => {
    // A root with only proto/ and a Makefile whose `generate` runs until it is killed: a slow
    // buf generate, as seen from the runner. The recipe reports its pid (exec keeps it).
    const root = mkdtempSync(join(tmpdir(), 'bookstore-dev-generate-'));
    mkdirSync(join(root, 'proto'));
    writeFileSync(join(root, 'proto', 'books.proto'), 'syntax = "proto3";\n');
    writeFileSync(join(root, 'Makefile'), 'generate:\n\t@echo "generate started $$$$" >&2; exec sleep 120\n');
    const dev = spawn(process.execPath, [join(REPO, 'scripts', 'dev.js'), '--root', root], {
      env: { PATH: process.env.PATH ?? '' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const run = watchOutput(dev);
    let generatorPid: number | undefined;
    try {
      await run.waitFor(/\[dev\] compiling/);
      writeFileSync(join(root, 'proto', 'books.proto'), 'syntax = "proto3";\n// changed\n');
      await run.waitFor(/generate started \d+/);
      generatorPid = Number(/generate started (\d+)/.exec(run.output())?.[1]);
      expect(isGone(generatorPid)).toBe(false);

      dev.kill('SIGTERM');
      expect(await run.exited).toBe(0);
      expect(await eventually(() => isGone(generatorPid!), 2000)).toBe(true);
    } finally {
      killGroup(dev);
      if (generatorPid !== undefined && !isGone(generatorPid)) process.kill(generatorPid, 'SIGKILL');
      rmSync(root, { recursive: true, force: true });
    }
  }, 30_000);
});
