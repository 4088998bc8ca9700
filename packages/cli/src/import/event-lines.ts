import { ReaderEvent } from '@bookstore/contracts';
import { createReadStream } from 'node:fs';
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
 * The lines of a text stream, each at most `maxChars` long: a longer line is yielded as
 * `undefined` and its characters are dropped as they arrive, so a file without newlines never
 * sits whole in memory (readline would gather the entire line before anyone could measure it).
 */
export async function* boundedLines(
  input: AsyncIterable<string>,
  maxChars: number,
): AsyncGenerator<string | undefined> {
  let current = '';
  let tooLong = false;
  for await (const chunk of input) {
    let from = 0;
    for (let newline = chunk.indexOf('\n', from); newline !== -1; newline = chunk.indexOf('\n', from)) {
      const piece = chunk.slice(from, newline);
      from = newline + 1;
      const whole = tooLong || current.length + piece.length > maxChars + 1 ? undefined : current + piece;
      current = '';
      tooLong = false;
      yield whole === undefined ? undefined : whole.endsWith('\r') ? whole.slice(0, -1) : whole;
    }
    if (!tooLong) {
      current += chunk.slice(from);
      // One more than the bound: a trailing \r of a CRLF line does not count against it.
      if (current.length > maxChars + 1) {
        tooLong = true;
        current = '';
      }
    }
  }
  if (tooLong) yield undefined;
  else if (current !== '') yield current.endsWith('\r') ? current.slice(0, -1) : current;
}

/**
 * The events of a JSON-lines file (`-` for stdin), one `ReaderEvent` in its JSON form a line
 * (`{"eventId":"…","userId":1,"bookId":2,"kind":"READER_EVENT_KIND_VIEWED","occurredAt":"2026-…"}`),
 * read lazily: the caller's pace (the gRPC stream's flow control) sets how fast the file is read.
 * Blank lines are skipped.
 */
export async function* readEventLines(
  file: string,
  options: { stdin?: Readable; signal?: AbortSignal } = {},
): AsyncGenerator<EventLine> {
  const stdin = options.stdin ?? process.stdin;
  const input = file === '-' ? stdin : createReadStream(file);
  input.setEncoding('utf8');
  // Aborted (the call failed while the input stalls): reading ends, whatever the input does.
  const stop = () => input.destroy();
  options.signal?.addEventListener('abort', stop, { once: true });
  let line = 0;
  try {
    for await (const text of boundedLines(input as AsyncIterable<string>, MAX_LINE_CHARS)) {
      line += 1;
      if (text === undefined || text.length > MAX_LINE_CHARS) {
        yield { line, problem: `longer than ${MAX_LINE_CHARS} characters` };
        continue;
      }
      if (text.trim() === '') continue;
      const parsed = parse(text);
      yield typeof parsed === 'string' ? { line, problem: parsed } : { line, event: parsed };
    }
  } finally {
    options.signal?.removeEventListener('abort', stop);
    if (input !== stdin) input.destroy();
  }
}
