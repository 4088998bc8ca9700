import { status as Status } from '@grpc/grpc-js';
import { createRecommendationsClient, type RecommendationsClient } from '../../src/recommendations/client';
import { answeringAs, failingWith, recommendCalls, startReplicaSet } from '../support/replicas';

const QUERY = { userId: 1, category: 1, maxResults: 3 };

/** Sequential calls until `streak` in a row succeed (true) or `withinMs` passes (false). */
async function untilHealthyStreak(client: RecommendationsClient, streak: number, withinMs: number): Promise<boolean> {
  const until = Date.now() + withinMs;
  let inARow = 0;
  while (inARow < streak && Date.now() < until) {
    const ok = await client.recommend(QUERY).then(
      (outcome) => outcome.available,
      () => false,
    );
    inARow = ok ? inARow + 1 : 0;
  }
  return inARow >= streak;
}

// grpc-js' defaults (minimum_hosts 5) would never eject anything among three replicas.
describe('outlier detection over three replicas (recommendations/channel-options.ts)', () => {
  it('ejects the replica answering INTERNAL to every call within seconds; the others take its calls', async () => {
    const set = await startReplicaSet([failingWith(Status.INTERNAL), answeringAs('b'), answeringAs('c')]);
    const client = createRecommendationsClient({ address: set.target, timeoutMs: 2000 });
    const [bad, ...good] = set.replicas;
    try {
      // The first check runs 1 s after the channel starts and judges the second before it.
      expect(await untilHealthyStreak(client, 30, 5000)).toBe(true);
      const before = [recommendCalls(bad!), ...good.map(recommendCalls)];
      for (let i = 0; i < 30; i += 1) expect((await client.recommend(QUERY)).available).toBe(true);
      const after = [recommendCalls(bad!), ...good.map(recommendCalls)];
      expect(after[0]).toBe(before[0]);
      expect(after[1]! - before[1]! + after[2]! - before[2]!).toBe(30);
      expect(after[1]! - before[1]!).toBeGreaterThanOrEqual(10);
    } finally {
      client.close();
      await set.stop();
    }
  });
});
