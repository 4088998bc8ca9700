import {
  BookCategory,
  ListBooksRequest,
  type ListBooksResponse,
  RecommendationServiceClient,
} from '@bookstore/contracts';
import { credentials } from '@grpc/grpc-js';
import { once } from 'node:events';
import { watchHealth } from '@bookstore/test-support';
import { startService } from './support/processes';

describe('recommendations on SIGTERM', () => {
  it('turns readiness NOT_SERVING, finishes a slowly read stream, survives a second SIGTERM and exits 0', async () => {
    // Far longer than draining takes, so an exit before it means the calls drained, not that the
    // grace period ran out (the test's own 30 s timeout would come first).
    const graceMs = 20_000;
    const service = await startService('recommendations', { SHUTDOWN_GRACE_MS: String(graceMs) });
    const address = `127.0.0.1:${service.port}`;
    const client = new RecommendationServiceClient(address, credentials.createInsecure());
    // A health watch is an in-flight call too: it keeps shutdown waiting until it is cancelled.
    const readiness = watchHealth(address, 'readiness');
    const exit = once(service.child, 'exit');
    try {
      await readiness.until('SERVING');
      const stream = client.listBooks(ListBooksRequest.create({ category: BookCategory.BOOK_CATEGORY_UNSPECIFIED }));
      const received: number[] = [];
      let signalledAt = 0;
      const streamDone = new Promise<void>((resolve, reject) => {
        stream.on('data', (message: ListBooksResponse) => {
          received.push(message.book?.id ?? -1);
          stream.pause(); // a slow reader
          setTimeout(() => stream.resume(), 50);
          if (received.length === 2) {
            signalledAt = Date.now();
            service.child.kill('SIGTERM');
          }
        });
        stream.on('error', reject);
        stream.on('end', resolve);
      });

      await readiness.until('NOT_SERVING');
      service.child.kill('SIGTERM');
      await streamDone;
      expect(received).toHaveLength(18);
      expect(received).toEqual([...received].sort((a, b) => a - b));
      expect(service.child.exitCode).toBeNull(); // still draining: the watch is open

      readiness.close();
      const [code] = (await exit) as [number | null];
      expect(code).toBe(0);
      expect(Date.now() - signalledAt).toBeLessThan(graceMs);
      expect(service.logs.map((l) => l.msg)).toEqual(
        expect.arrayContaining([
          'shutting down: readiness NOT_SERVING, draining calls',
          'already shutting down',
          'stopped',
        ]),
      );
    } finally {
      readiness.close();
      client.close();
      await service.stop();
    }
  });

  it('cancels what is still open when the grace period ends, and still exits 0', async () => {
    const graceMs = 500;
    const service = await startService('recommendations', { SHUTDOWN_GRACE_MS: String(graceMs) });
    const readiness = watchHealth(`127.0.0.1:${service.port}`, 'readiness');
    try {
      await readiness.until('SERVING');
      const started = Date.now();
      const code = await service.stop('SIGTERM');
      expect(code).toBe(0);
      expect(Date.now() - started).toBeGreaterThanOrEqual(graceMs - 50);
      expect(Date.now() - started).toBeLessThan(graceMs + 2000);
    } finally {
      readiness.close();
    }
  });
});
