import pino, { type DestinationStream } from 'pino';

export interface LogDestination extends DestinationStream {
  /**
   * pino's `logger.flush(cb)` calls this. Nothing is held back (sonic-boom's minLength is 0), so
   * it calls back at once; a batch still in flight when the process exits is written
   * synchronously by the exit hook pino registers for the stream.
   */
  flush(callback: (error?: Error) => void): void;
}

/**
 * Where the services' JSON lines go: a file descriptor (stdout by default), written
 * asynchronously, lines batched while a write is in flight.
 *
 * pino's own `pino.destination({ sync: false })` batches lines by appending strings and, for
 * every line, measuring the UTF-8 length of the whole batch so far; under load that batch is
 * up to 16 KiB, and the measuring was ~3 % of the Recommendations server's CPU profile
 * (docs/benchmarks.md). The same sonic-boom stream in `buffer` mode keeps per-batch byte
 * counts instead, so each line is encoded once, here. pino still registers its flush on exit
 * for the underlying stream.
 */
export function createLogDestination(options: { fd?: number } = {}): LogDestination {
  const stream = pino.destination({ dest: options.fd ?? 1, sync: false, contentMode: 'buffer' });
  // sonic-boom's types know only strings; in `buffer` content mode its write takes a Buffer.
  const writeBuffer = stream.write.bind(stream) as (data: string | Buffer) => boolean;
  return {
    write: (line: string) => writeBuffer(Buffer.from(line)),
    flush: (callback) => stream.flush(callback),
  };
}
