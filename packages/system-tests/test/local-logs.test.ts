import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { copyOfServices } from './support/dev-copy';
import { freePort } from '@bookstore/test-support';
import { killGroup, runInTerminal, watchOutput } from './support/terminal';

const RUN_LOCAL = join(__dirname, '..', '..', '..', 'scripts', 'run-local.js');
const DEV = join(__dirname, '..', '..', '..', 'scripts', 'dev.js');
const ESC = '\u001b';

/** `make run`'s script on free loopback ports. */
async function localEnv(): Promise<Record<string, string>> {
  return { HOST: '127.0.0.1', RECOMMENDATIONS_PORT: String(await freePort()), PORT: '0', METRICS_PORT: '0' };
}

describe('make run and make dev logs: pino-pretty on a terminal, JSON lines anywhere else', () => {
  it('writes the services JSON lines unchanged when stdout is a pipe', async () => {
    const child = spawn(process.execPath, [RUN_LOCAL], {
      env: { PATH: process.env.PATH ?? '', ...(await localEnv()) },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group: the finally below kills the services with it
    });
    const run = watchOutput(child);
    try {
      await run.waitFor(
        /"msg":"recommendations listening"[\s\S]*"msg":"marketplace listening"|"msg":"marketplace listening"[\s\S]*"msg":"recommendations listening"/,
      );
      child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
      const stdout = run
        .output()
        .split('\n')
        .filter((line) => line.startsWith('{'));
      const names = stdout.map((line) => (JSON.parse(line) as { name: string }).name);
      expect(new Set(names)).toEqual(new Set(['recommendations', 'marketplace']));
      expect(run.output()).not.toContain(ESC);
    } finally {
      killGroup(child);
    }
  });

  it('stops both services when its reader goes away (make run | head), leaving none behind', async () => {
    const env = { ...(await localEnv()), PORT: String(await freePort()) };
    const child = spawn(process.execPath, [RUN_LOCAL], {
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'ignore'],
      detached: true,
    });
    const exited = once(child, 'close');
    try {
      const pids: number[] = [];
      for await (const line of createInterface({ input: child.stdout })) {
        const entry = JSON.parse(line) as { msg: string; pid: number };
        if (entry.msg.endsWith(' listening')) pids.push(entry.pid);
        if (pids.length === 2) break;
      }
      child.stdout.destroy();
      // The next log line (this request's) cannot be written: the runner stops as on SIGTERM.
      await fetch(`http://127.0.0.1:${env.PORT}/?category=mystery`);
      const [code] = (await exited) as [number | null];
      expect(code).toBe(0);
      for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
    } finally {
      killGroup(child);
    }
  });

  it('prettifies and colours them on a terminal; Ctrl+C stops both services', async () => {
    const run = runInTerminal(`exec "${process.execPath}" "${RUN_LOCAL}"`, await localEnv());
    try {
      // pino-pretty's shape: time, coloured level, (service name), message.
      await run.waitFor(/INFO.*\(recommendations\): .*recommendations listening/);
      await run.waitFor(/INFO.*\(marketplace\): .*marketplace listening/);
      expect(run.output()).toContain(`${ESC}[32mINFO${ESC}[39m`);
      expect(run.output()).not.toMatch(/^\{"level"/m);
      run.interrupt();
      expect(await run.exited).toBe(0);
      expect(run.output()).toMatch(/\(recommendations\): .*shutting down/);
      expect(run.output()).toMatch(/\(marketplace\): .*shutting down/);
    } finally {
      run.child.kill('SIGKILL');
    }
  });

  it('make dev prettifies on a terminal too (its JSON through a pipe is checked by dev-loop.test.ts)', async () => {
    const root = copyOfServices(['recommendations']);
    const run = runInTerminal(`exec "${process.execPath}" "${DEV}" --root "${root}"`, await localEnv());
    try {
      await run.waitFor(/INFO.*\(recommendations\): .*recommendations listening/, 60_000);
      expect(run.output()).toContain(`${ESC}[32mINFO${ESC}[39m`);
      expect(run.output()).not.toMatch(/^\{"level"/m);
      run.interrupt();
      expect(await run.exited).toBe(0);
    } finally {
      run.child.kill('SIGKILL');
      rmSync(root, { recursive: true, force: true });
    }
  }, 90_000);
});
