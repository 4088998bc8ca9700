import { type RecommendationServiceServer, RecommendationServiceService } from '@bookstore/contracts';
import { Server, ServerCredentials } from '@grpc/grpc-js';
import { eventually } from '@bookstore/test-support';
import { once } from 'node:events';
import { startMarketplace } from './support/bookstore';
import { loadPage } from './support/pages';

describe('marketplace on SIGTERM', () => {
  it('finishes in-flight requests, refuses new connections, closes its channel and exits 0', async () => {
    // Recommendations that takes 400 ms: the page is in flight when the signal arrives.
    const slow = new Server();
    // The pages whose Recommend arrived, by request id (a hedge of one page is not another page).
    const pagesAsked = new Set<string>();
    const slowImplementation: Pick<RecommendationServiceServer, 'recommend' | 'listBooks'> = {
      recommend: (call, callback) => {
        pagesAsked.add(String(call.metadata.get('x-request-id')[0]));
        setTimeout(
          () =>
            callback(null, {
              recommendations: [1, 2, 3].map((id) => ({
                id,
                title: `Book ${id}`,
                becauseOfBookId: 0,
                becauseOfTitle: '',
              })),
            }),
          400,
        );
      },
      listBooks: (call) => call.end(),
    };
    slow.addService(RecommendationServiceService, slowImplementation);
    const port = await new Promise<number>((resolve, reject) =>
      slow.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
    );
    const marketplace = await startMarketplace(`127.0.0.1:${port}`, {
      RECOMMENDATIONS_TIMEOUT_MS: '2000',
      SHUTDOWN_GRACE_MS: '5000',
    });
    try {
      const url = `http://127.0.0.1:${marketplace.port}/`;
      const inFlight = Promise.all([loadPage(url), loadPage(url), loadPage(url)]);
      // In flight: each page is waiting for its Recommend.
      expect(await eventually(() => pagesAsked.size === 3, 10_000)).toBe(true);
      const exit = once(marketplace.child, 'exit');
      const signalledAt = performance.now();
      marketplace.child.kill('SIGTERM');
      const pages = await inFlight;
      for (const page of pages) expect([page.status, page.books.length]).toEqual([200, 3]);
      const [code] = (await exit) as [number | null];
      expect(code).toBe(0);
      expect(performance.now() - signalledAt).toBeLessThan(5000);
      await expect(fetch(url)).rejects.toThrow();
      expect(marketplace.logs.map((l) => l.msg)).toContain('stopped');
    } finally {
      await marketplace.stop('SIGKILL');
      slow.forceShutdown();
    }
  });
});
