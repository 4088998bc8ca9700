import { Writable } from 'node:stream';
import pino from 'pino';
import { handleShutdownSignals } from '../../src';

/**
 * In-process: the signal is emitted on `process` and the injected `exit` records the code.
 * The real processes are signalled in packages/system-tests (faults, SIGTERM under load).
 */
function setUp(stop: () => Promise<void>, forceAfterMs?: number) {
  const lines: { msg: string; signal?: string }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(JSON.parse(chunk.toString()) as { msg: string; signal?: string });
      callback();
    },
  });
  const logger = pino({ base: undefined }, sink);
  const exits: number[] = [];
  let exitedWith: (code: number) => void = () => {};
  const exited = new Promise<number>((resolve) => (exitedWith = resolve));
  const exit = (code: number) => {
    exits.push(code);
    exitedWith(code);
  };
  const cleanUp = handleShutdownSignals({ logger, message: 'draining', stop, forceAfterMs, exit });
  return { lines, exits, exited, cleanUp };
}

describe('handleShutdownSignals', () => {
  it('stops once on the first signal, ignores the second, flushes and exits 0', async () => {
    let finish = () => {};
    const stop = jest.fn(() => new Promise<void>((resolve) => (finish = resolve)));
    const { lines, exits, exited, cleanUp } = setUp(stop);
    try {
      process.emit('SIGTERM', 'SIGTERM');
      process.emit('SIGINT', 'SIGINT');
      expect(stop).toHaveBeenCalledTimes(1);
      expect(exits).toEqual([]);
      finish();
      expect(await exited).toBe(0);
      expect(lines.map((l) => [l.msg, l.signal])).toEqual([
        ['draining', 'SIGTERM'],
        ['already shutting down', 'SIGINT'],
        ['stopped', undefined],
      ]);
    } finally {
      cleanUp();
    }
  });

  it('exits 1 when stopping fails', async () => {
    const { lines, exited, cleanUp } = setUp(() => Promise.reject(new Error('port stuck')));
    try {
      process.emit('SIGTERM', 'SIGTERM');
      expect(await exited).toBe(1);
      expect(lines.map((l) => l.msg)).toEqual(['draining', 'shutdown failed']);
    } finally {
      cleanUp();
    }
  });

  it('exits after forceAfterMs when stopping hangs', async () => {
    const { lines, exited, cleanUp } = setUp(() => new Promise<void>(() => undefined), 20);
    try {
      process.emit('SIGTERM', 'SIGTERM');
      expect(await exited).toBe(0);
      expect(lines.map((l) => l.msg)).toEqual(['draining', 'grace period over; exiting with requests still open']);
    } finally {
      cleanUp();
    }
  });
});
