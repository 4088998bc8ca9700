import { eventually } from '@bookstore/test-support';
import { mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { createLogDestination } from '../../src';

describe('createLogDestination', () => {
  it('writes every line whole and in order, multi-byte text intact', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'log-destination-')), 'out.log');
    const fd = openSync(file, 'w');
    const destination = createLogDestination({ fd });
    const logger = pino({ base: undefined, timestamp: false }, destination);
    // Far more than one 16 KiB batch, written while earlier writes are still in flight.
    for (let i = 0; i < 20_000; i += 1) logger.info({ i, title: 'Dürrenmatt — 東京 📚' }, 'line');
    // The writes are asynchronous: wait (at most 10 s) for the last line to reach the file.
    const lastLine = '"i":19999,';
    const tail = () => readFileSync(file, 'utf8').slice(-200);
    expect(await eventually(() => tail().includes(lastLine), 10_000, 50)).toBe(true);

    const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(20_000);
    lines.forEach((line, i) =>
      expect(JSON.parse(line)).toEqual({ level: 30, i, title: 'Dürrenmatt — 東京 📚', msg: 'line' }),
    );
  });
});
