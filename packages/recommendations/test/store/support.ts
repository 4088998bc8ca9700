import pino, { type Logger } from 'pino';
import type { StoredEvent } from '../../src/store/event-store';

/**
 * Retries `check` (an assertion, or anything that throws) every 20 ms until it passes, and
 * returns its value; after `timeoutMs` it throws check's last error. The read models are
 * eventually consistent, so tests wait for a state instead of sleeping a fixed time.
 */
export async function eventually<T>(check: () => T | Promise<T>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

let sequence = 0;

/** A viewed event with a fresh id; `at` defaults to a time after every earlier one. */
export function view(userId: number, bookId: number, at?: number): StoredEvent {
  sequence++;
  return {
    eventId: `event-${process.pid}-${sequence}`,
    userId,
    bookId,
    kind: 1,
    occurredAtMs: at ?? 1_700_000_000_000 + sequence,
  };
}

/** A log line as pino writes it. */
export type LogLine = Record<string, unknown> & { msg: string; level: number };

/** A logger that keeps every line, parsed. */
export function capturingLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line) as LogLine) });
  return { logger, lines };
}
