import { status as Status, type ServiceError } from '@grpc/grpc-js';
import { createHealthClient } from './support/health-client';
import { startTestServer } from './support/test-server';

describe('grpc.health.v1.Health', () => {
  it('answers SERVING for "", liveness, readiness and the service once started', async () => {
    const server = await startTestServer();
    const health = createHealthClient(server.address);
    try {
      for (const name of ['', 'liveness', 'readiness', 'bookstore.recommendations.v1.RecommendationService']) {
        expect(await health.check(name)).toBe('SERVING');
      }
      const unknown = await health.check('nope').catch((error: ServiceError) => error);
      expect((unknown as ServiceError).code).toBe(Status.NOT_FOUND);
    } finally {
      health.close();
      await server.close();
    }
  });

  it('turns readiness NOT_SERVING as shutdown begins, while liveness stays SERVING', async () => {
    const server = await startTestServer();
    const health = createHealthClient(server.address);
    const readiness = health.watch('readiness');
    const liveness = health.watch('liveness');
    const seen: Record<string, string[]> = { readiness: [], liveness: [] };
    readiness.on('data', (m: { status: string }) => seen.readiness?.push(m.status));
    liveness.on('data', (m: { status: string }) => seen.liveness?.push(m.status));
    readiness.on('error', () => undefined);
    liveness.on('error', () => undefined);
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const stopped = server.stop();
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(seen.readiness).toEqual(['SERVING', 'NOT_SERVING']);
      expect(seen.liveness).toEqual(['SERVING']);
      // The watches are in-flight calls; shutdown waits for them until the client lets go.
      readiness.cancel();
      liveness.cancel();
      await stopped;
    } finally {
      health.close();
      await server.close();
    }
  });

  it('answers a Watch of an unknown name SERVICE_UNKNOWN and a Check NOT_FOUND without echoing the name', async () => {
    const server = await startTestServer();
    const health = createHealthClient(server.address);
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
      await server.close();
    }
  });
});
