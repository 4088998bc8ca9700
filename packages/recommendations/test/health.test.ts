import { RECOMMENDATION_SERVICE_NAME } from '@bookstore/contracts';
import { status as Status, type ServiceError } from '@grpc/grpc-js';
import { createHealthClient } from '@bookstore/test-support';
import { startTestServer } from './support/test-server';
import { withTestServer } from './support/with-test-server';

describe('grpc.health.v1.Health', () => {
  // A server per test: one of them shuts its server down.
  const t = withTestServer({}, { perTest: true });

  it('answers SERVING for "", liveness, readiness and the service once started', async () => {
    const health = createHealthClient(t.server.address);
    try {
      for (const name of ['', 'liveness', 'readiness', RECOMMENDATION_SERVICE_NAME]) {
        expect(await health.check(name)).toBe('SERVING');
      }
      const unknown = await health.check('nope').catch((error: ServiceError) => error);
      expect((unknown as ServiceError).code).toBe(Status.NOT_FOUND);
    } finally {
      health.close();
    }
  });

  it('turns readiness NOT_SERVING as shutdown begins, while liveness stays SERVING', async () => {
    const health = createHealthClient(t.server.address);
    const readiness = health.watch('readiness');
    const liveness = health.watch('liveness');
    const seen: Record<string, string[]> = { readiness: [], liveness: [] };
    /** Resolves when `stream` has sent `count` messages in all. */
    const messages = (stream: typeof readiness, name: 'readiness' | 'liveness', count: number) =>
      new Promise<void>((resolve) => {
        const check = () => (seen[name]!.length >= count ? resolve() : undefined);
        stream.on('data', check);
        check();
      });
    readiness.on('data', (m: { status: string }) => seen.readiness?.push(m.status));
    liveness.on('data', (m: { status: string }) => seen.liveness?.push(m.status));
    readiness.on('error', () => undefined);
    liveness.on('error', () => undefined);
    try {
      await Promise.all([messages(readiness, 'readiness', 1), messages(liveness, 'liveness', 1)]);
      const stopped = t.server.stop();
      await messages(readiness, 'readiness', 2);
      expect(seen.readiness).toEqual(['SERVING', 'NOT_SERVING']);
      // Both are set in the same step of the shutdown: a liveness change would have come with it.
      expect(seen.liveness).toEqual(['SERVING']);
      // The watches are in-flight calls; shutdown waits for them until the client lets go.
      readiness.cancel();
      liveness.cancel();
      await stopped;
    } finally {
      health.close();
    }
  });

  it('answers a Watch of an unknown name SERVICE_UNKNOWN and a Check NOT_FOUND without echoing the name', async () => {
    const health = createHealthClient(t.server.address);
    const name = `unknown-${'x'.repeat(1000)}`;
    const watch = health.watch(name);
    watch.on('error', () => undefined);
    try {
      const first = await new Promise<{ status: string }>((resolve) => watch.once('data', resolve));
      expect(first.status).toBe('SERVICE_UNKNOWN');
      const error = (await health.check(name).catch((e: ServiceError) => e)) as ServiceError;
      expect(error.code).toBe(Status.NOT_FOUND);
      expect(error.details).not.toContain('xxxx');
    } finally {
      watch.cancel();
      health.close();
    }
  });
});

describe('held-open health watches', () => {
  it('are capped at MAX_HEALTH_WATCHES whatever their names; a cancelled one frees its place', async () => {
    // At debug, the access log writes the line of a cancelled call: when the server saw it.
    const server = await startTestServer({ env: { MAX_HEALTH_WATCHES: '3', LOG_LEVEL: 'debug' } });
    const health = createHealthClient(server.address);
    const firstMessage = (stream: ReturnType<typeof health.watch>) =>
      new Promise<string>((resolve, reject) => {
        stream.once('data', (m: { status: string }) => resolve(m.status));
        stream.once('error', reject);
      });
    const held = [health.watch('x'.repeat(30_000)), health.watch('y'.repeat(30_000)), health.watch('readiness')];
    try {
      expect(await Promise.all(held.map(firstMessage))).toEqual(['SERVICE_UNKNOWN', 'SERVICE_UNKNOWN', 'SERVING']);
      const refused = await firstMessage(health.watch('liveness')).catch((error: ServiceError) => error);
      expect([(refused as ServiceError).code, (refused as ServiceError).details]).toEqual([
        Status.RESOURCE_EXHAUSTED,
        'too many health watches open',
      ]);
      // Check is not a watch: still answered at the cap.
      expect(await health.check('liveness')).toBe('SERVING');

      const cancelled = new Promise((resolve) => held[0]?.once('error', resolve));
      held[0]?.cancel();
      await cancelled;
      // The server sees the cancellation a moment after the client: wait for its log line (the
      // place is freed in the same synchronous onCancel chain), then the next watch is admitted.
      await server.waitForLog((l) => l.msg === 'rpc finished' && l.code === 'CANCELLED');
      const again = health.watch('liveness');
      held.push(again);
      expect(await firstMessage(again)).toBe('SERVING');
    } finally {
      for (const stream of held) stream.cancel();
      health.close();
      await server.close();
    }
  });
});
