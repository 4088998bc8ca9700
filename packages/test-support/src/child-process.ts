import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';

export interface FinishedProcess {
  /** The exit code; null when a signal ended it (the timeout's SIGKILL included). */
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Waits for a spawned child (stdout and stderr piped) to end and returns its exit code and
 * everything it wrote. A child still running after `timeoutMs` is killed, so a hung process
 * ends with code null and fails the test that expected a code, instead of the jest timeout.
 */
export async function runToEnd(child: ChildProcess, timeoutMs = 15_000): Promise<FinishedProcess> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  try {
    // 'close' comes after 'exit' and after stdout and stderr are read to their end.
    const [code] = (await once(child, 'close')) as [number | null];
    return { code, stdout, stderr };
  } finally {
    clearTimeout(timer);
  }
}
