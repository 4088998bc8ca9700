import { RECOMMENDATION_SERVICE_NAME } from '@bookstore/contracts';
import { status as Status } from '@grpc/grpc-js';
import { createHealthClient } from '@bookstore/test-support';
import { createRawClient, paddedRecommendRequest } from './support/raw-client';
import { startTestServer } from './support/test-server';
import { withTestServer } from './support/with-test-server';

const RECOMMEND = `/${RECOMMENDATION_SERVICE_NAME}/Recommend`;

describe('message size limits', () => {
  // One server, as configured by default, for the tests that change nothing.
  const t = withTestServer();

  it('answers RESOURCE_EXHAUSTED to a 1 MiB request and keeps serving', async () => {
    const raw = createRawClient(t.server.address);
    const health = createHealthClient(t.server.address);
    try {
      const { error } = await raw.unary(RECOMMEND, paddedRecommendRequest(1024 * 1024));
      expect(error?.code).toBe(Status.RESOURCE_EXHAUSTED);
      const small = await raw.unary(RECOMMEND, paddedRecommendRequest(1000));
      expect(small.error).toBeNull();
      expect(await health.check('readiness')).toBe('SERVING');
    } finally {
      raw.close();
      health.close();
    }
  });

  it('honours MAX_RECEIVE_MESSAGE_BYTES', async () => {
    const server = await startTestServer({ env: { MAX_RECEIVE_MESSAGE_BYTES: '2048' } });
    const raw = createRawClient(server.address);
    try {
      expect((await raw.unary(RECOMMEND, paddedRecommendRequest(1500))).error).toBeNull();
      expect((await raw.unary(RECOMMEND, paddedRecommendRequest(3000))).error?.code).toBe(Status.RESOURCE_EXHAUSTED);
    } finally {
      raw.close();
      await server.close();
    }
  });

  it('answers RESOURCE_EXHAUSTED to a small gzip request that inflates past the limit', async () => {
    const raw = createRawClient(t.server.address, { 'grpc.default_compression_algorithm': 2 });
    const health = createHealthClient(t.server.address);
    try {
      const { error } = await raw.unary(RECOMMEND, paddedRecommendRequest(8 * 1024 * 1024));
      expect(error?.code).toBe(Status.RESOURCE_EXHAUSTED);
      expect(error?.details).toMatch(/decompresses to a size larger than 65536/);
      expect(await health.check('readiness')).toBe('SERVING');
    } finally {
      raw.close();
      health.close();
    }
  });
});
