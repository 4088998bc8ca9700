import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Checks `check` every `pauseMs` until it returns true or `timeoutMs` pass, then returns its last
 * result: a wait on an outcome (a log line, a metric value, a socket state), never a fixed sleep.
 * The deadline is generous on purpose; a passing check returns at once, so it costs nothing.
 */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  pauseMs = 20,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await sleep(pauseMs);
  }
  return check();
}
