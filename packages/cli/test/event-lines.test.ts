import { Readable } from 'node:stream';
import { boundedLines } from '../src/import/event-lines';

async function linesOf(chunks: string[], maxChars: number): Promise<(string | undefined)[]> {
  const out: (string | undefined)[] = [];
  for await (const line of boundedLines(Readable.from(chunks), maxChars)) out.push(line);
  return out;
}

describe('boundedLines', () => {
  it('splits lines across chunk boundaries, drops a CR before LF, and keeps a last line without newline', async () => {
    expect(await linesOf(['ab', 'c\nde', 'f\r\n\ng'], 10)).toEqual(['abc', 'def', '', 'g']);
  });

  it('yields undefined for a line past the bound, and keeps reading the lines after it', async () => {
    expect(await linesOf(['12345', '6789', '0\nok\n', 'abcdefghijkl'], 5)).toEqual([undefined, 'ok', undefined]);
  });

  it('accepts a line of exactly the bound, with or without CRLF', async () => {
    expect(await linesOf(['12345\n', '12345\r\n'], 5)).toEqual(['12345', '12345']);
  });

  it('holds no more than the bound of a long line in memory', async () => {
    // 200 chunks of 1 MB and no newline: the reader must drop them as they come.
    const chunk = 'x'.repeat(1_000_000);
    const before = process.memoryUsage().heapUsed;
    let peak = 0;
    async function* source() {
      for (let i = 0; i < 200; i += 1) {
        peak = Math.max(peak, process.memoryUsage().heapUsed - before);
        yield chunk;
      }
    }
    const out: (string | undefined)[] = [];
    for await (const line of boundedLines(source(), 4096)) out.push(line);
    expect(out).toEqual([undefined]);
    // Gathering the line would take 200 MB (400 MB as UTF-16); dropping it stays near one chunk.
    expect(peak).toBeLessThan(50_000_000);
  });
});
