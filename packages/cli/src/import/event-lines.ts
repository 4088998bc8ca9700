import { ReaderEvent } from '@bookstore/contracts';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

/** One line of an import file: an event to send, or why it cannot be sent. */
export type EventLine = { line: number; event: ReaderEvent } | { line: number; problem: string };

/** Longest line read as an event; longer ones are reported, not parsed (an event is ~150 bytes). */
export const MAX_LINE_CHARS = 4096;

function parse(text: string): ReaderEvent | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const event = ReaderEvent.fromJSON(value);
  // fromJSON takes any number (or NaN) and the encoder then throws on a non-int32, failing the
  // whole call: such a line is reported here instead.
  for (const [field, number] of [
    ['userId', event.userId],
    ['bookId', event.bookId],
  ] as const) {
    if (!Number.isInteger(number) || number < -(2 ** 31) || number > 2 ** 31 - 1)
      return `${field} is not a 32-bit integer`;
  }
  if (event.occurredAt !== undefined && Number.isNaN(event.occurredAt.getTime())) return 'occurredAt is not a date';
  return event;
}

/**
 * The events of a JSON-lines file (`-` for stdin), one `ReaderEvent` in its JSON form a line
 * (`{"eventId":"…","userId":1,"bookId":2,"kind":"READER_EVENT_KIND_VIEWED","occurredAt":"2026-…"}`),
 * read lazily: the caller's pace (the gRPC stream's flow control) sets how fast the file is read.
 * Blank lines are skipped.
 */
export async function* readEventLines(file: string, stdin: Readable = process.stdin): AsyncGenerator<EventLine> {
  const input = file === '-' ? stdin : createReadStream(file);
  const lines = createInterface({ input, crlfDelay: Infinity });
  let line = 0;
  try {
    for await (const text of lines) {
      line += 1;
      if (text.trim() === '') continue;
      if (text.length > MAX_LINE_CHARS) {
        yield { line, problem: `longer than ${MAX_LINE_CHARS} characters` };
        continue;
      }
      const parsed = parse(text);
      yield typeof parsed === 'string' ? { line, problem: parsed } : { line, event: parsed };
    }
  } finally {
    lines.close();
    if (input !== stdin) input.destroy();
  }
}
