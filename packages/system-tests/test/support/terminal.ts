import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';

export interface TerminalProcess {
  readonly child: ChildProcess;
  /** Everything the terminal showed so far. */
  output(): string;
  /** Resolves once the output matches. Rejects when the process exits first or after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Types Ctrl+C, as a user does: the terminal sends SIGINT to the foreground process group. */
  interrupt(): void;
  exited: Promise<number | null>;
}

/**
 * Runs `command` (a shell line) on a pseudo-terminal with util-linux's `script`, so its stdout is
 * a TTY, and reads what the terminal shows. `script` is in Debian's essential bsdutils package;
 * when it is missing the spawn fails and so does the test.
 */
export function runInTerminal(command: string, env: Record<string, string>): TerminalProcess {
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    env: { PATH: process.env.PATH ?? '', SHELL: '/bin/sh', TERM: 'xterm', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return watchOutput(child, () => child.stdin?.write('\x03'));
}

/** Collects a child's stdout and stderr for `waitFor`. */
export function watchOutput(child: ChildProcess, interrupt: () => void = () => child.kill('SIGINT')) {
  let text = '';
  const waiters = new Set<() => void>();
  const append = (chunk: Buffer) => {
    text += chunk.toString();
    for (const check of waiters) check();
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = once(child, 'close').then(([code]) => code as number | null);
  return {
    child,
    output: () => text,
    interrupt,
    exited,
    waitFor: (pattern: RegExp, timeoutMs = 20_000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => done(new Error(`timed out waiting for ${pattern}; output:\n${text}`)),
          timeoutMs,
        );
        const check = () => (pattern.test(text) ? done() : undefined);
        const done = (error?: Error) => {
          clearTimeout(timer);
          waiters.delete(check);
          if (error) reject(error);
          else resolve();
        };
        waiters.add(check);
        void exited.then(() => done(pattern.test(text) ? undefined : new Error(`exited before ${pattern}:\n${text}`)));
        check();
      }),
  } satisfies TerminalProcess;
}

/** SIGKILL to a child spawned `detached` and everything in its process group; gone already is fine. */
export function killGroup(child: ChildProcess): void {
  try {
    process.kill(-(child.pid as number), 'SIGKILL');
  } catch {
    // ESRCH: the group has already exited.
  }
}
