import { runToEnd, type FinishedProcess } from '@bookstore/test-support';
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const PACKAGE = join(__dirname, '..', '..');

/** The built binary, found the way npm and pnpm find it: through package.json's "bin". */
export const BIN = join(
  PACKAGE,
  (JSON.parse(readFileSync(join(PACKAGE, 'package.json'), 'utf8')) as { bin: { bookstore: string } }).bin.bookstore,
);

export type CliResult = FinishedProcess;

/** Only PATH from the test's own environment: no RECOMMENDATIONS_* of the machine leaks in. */
export function spawnCli(
  args: string[],
  env: Record<string, string> = {},
  stdin: 'ignore' | 'pipe' = 'ignore',
): ChildProcess {
  return spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: [stdin, 'pipe', 'pipe'],
  });
}

/** Runs `bookstore ...args` to its end (killed after `timeoutMs`, which then fails the test). */
export function runCli(args: string[], env: Record<string, string> = {}, timeoutMs = 15_000): Promise<CliResult> {
  return runToEnd(spawnCli(args, env), timeoutMs);
}
