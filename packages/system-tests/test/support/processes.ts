import { runToEnd } from '@bookstore/test-support';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const PACKAGES = join(__dirname, '..', '..', '..');

/** Path of a service's built entry point, as users run it. */
export function entryPoint(service: 'recommendations' | 'marketplace'): string {
  return join(PACKAGES, service, 'dist', 'main.js');
}

export interface ServiceProcess {
  readonly child: ChildProcess;
  /** Parsed JSON log lines seen so far. */
  readonly logs: Record<string, unknown>[];
  /**
   * The first log line matching `matches`, once the process has written it (at once if it has);
   * rejects after `timeoutMs` (default 5 s) or when the process exits first.
   */
  waitForLog(matches: (line: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  readonly port: number;
  /** The whole "listening" log line (it names every bound port). */
  readonly ready: Record<string, unknown>;
  /** Everything written to stderr so far (Node's own messages, e.g. the inspector's address). */
  stderr(): string;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts `node [nodeArgs] dist/main.js` and waits for its "listening" log line (which carries the
 * port), so LOG_LEVEL must let info through.
 */
export async function startService(
  service: 'recommendations' | 'marketplace',
  env: Record<string, string>,
  nodeArgs: readonly string[] = [],
): Promise<ServiceProcess> {
  const child = spawn(process.execPath, [...nodeArgs, entryPoint(service)], {
    // Free ports on loopback unless the test names them: tests never collide with each other.
    // Every call in the access log, as `make run`: the tests read the lines of their requests.
    env: {
      PATH: process.env.PATH ?? '',
      HOST: '127.0.0.1',
      PORT: '0',
      METRICS_PORT: '0',
      HEALTH_PORT: '0',
      ACCESS_LOG_SAMPLE_RATE: '1',
      // Every request of a test comes from 127.0.0.1: one address, one budget. The tests measure
      // other limits with the rate limit off; hostile-rate-limit.test.ts sets '' (the default).
      ...(service === 'marketplace' ? { RATE_LIMIT_MAX: '0' } : {}),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  const waiters = new Set<() => void>();
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit').then(([code]) => code as number | null);
  const ready = await new Promise<Record<string, unknown>>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const entry = JSON.parse(line) as Record<string, unknown>;
      logs.push(entry);
      for (const waiter of waiters) waiter();
      if (typeof entry.msg === 'string' && entry.msg.endsWith('listening')) resolve(entry);
    });
    void exited.then((code) => reject(new Error(`${service} exited with ${code} before listening: ${stderr}`)));
  });
  return {
    child,
    logs,
    port: ready.port as number,
    ready,
    waitForLog: (matches, timeoutMs = 5000) =>
      new Promise((resolve, reject) => {
        const fail = (why: string) => {
          waiters.delete(check);
          clearTimeout(timer);
          reject(new Error(`${service}: no matching log line: ${why}`));
        };
        const timer = setTimeout(() => fail(`not within ${timeoutMs} ms`), timeoutMs);
        function check() {
          const found = logs.find(matches);
          if (found === undefined) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        }
        waiters.add(check);
        check();
        void exited.then(() => (waiters.has(check) ? fail('the process exited') : undefined));
      }),
    stderr: () => stderr,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** Runs a service to completion and returns its exit code and stderr (for start-up failures). */
export async function runToExit(service: 'recommendations' | 'marketplace', env: Record<string, string>) {
  const child = spawn(process.execPath, [entryPoint(service)], { env: { PATH: process.env.PATH ?? '', ...env } });
  const { code, stderr } = await runToEnd(child);
  return { code, stderr };
}
