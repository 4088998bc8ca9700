import { eventually } from '@bookstore/test-support';
import { connectivityState as State, status as Status } from '@grpc/grpc-js';
import { createHedgeBudget, type HedgeBudget } from '../../src/recommendations/hedge-budget';
import { createRecommendationsClient, type RecommendationsClient } from '../../src/recommendations/client';
import { createRecommendationsChannels } from '../../src/recommendations/channels';
import { answeringAs, failingWith, recommendCalls, startReplicaSet } from '../support/replicas';

const QUERY = { userId: 1, category: 1, maxResults: 3 };
/** Far above the 20 ms hedging delay: an answer from "slow" would mean the hedge did not happen. */
const SLOW_MS = 400;

/** Who answered each of `count` sequential calls: the title of its one book. */
async function answerers(client: RecommendationsClient, count: number): Promise<string[]> {
  const names = [];
  for (let i = 0; i < count; i += 1) {
    const outcome = await client.recommend(QUERY);
    names.push(outcome.available ? (outcome.value[0]?.title ?? 'empty') : 'unavailable');
  }
  return names;
}

/** A budget that never runs out: grpc-js' own behaviour, which throttles no hedge. */
const UNLIMITED: HedgeBudget = { allowsHedging: () => true, record: () => undefined, tokens: 10 };

describe('hedging Recommend (recommendations/channels.ts)', () => {
  it('answers every call from the fast replica when the other takes 400 ms: the hedge after 20 ms wins', async () => {
    const set = await startReplicaSet([answeringAs('slow', SLOW_MS), answeringAs('fast')]);
    const client = createRecommendationsClient({
      address: set.target,
      timeoutMs: 2000,
      hedging: { delayMs: 20, budget: createHedgeBudget() },
    });
    try {
      // The first call connects the channel (it goes unhedged: nothing is connected yet); a hedge
      // then needs round_robin connected to both replicas. round_robin picks only READY
      // subchannels, so once each replica has been asked, both are connected.
      const bothAsked = () => set.replicas.every((replica) => recommendCalls(replica) > 0);
      expect(await eventually(async () => (await answerers(client, 1), bothAsked()), 10_000)).toBe(true);
      const askedSlow = recommendCalls(set.replicas[0]!);
      expect(new Set(await answerers(client, 10))).toEqual(new Set(['fast']));
      // The slow replica was asked (round_robin sends it first attempts) but never answered first.
      expect(recommendCalls(set.replicas[0]!) - askedSlow).toBeGreaterThanOrEqual(5);
    } finally {
      client.close();
      await set.stop();
    }
  });

  it('sends the calls made while the channel connects unhedged: both attempts would wait for one replica', async () => {
    const set = await startReplicaSet([answeringAs('slow', 100)]);
    const client = createRecommendationsClient({
      address: set.target,
      timeoutMs: 2000,
      hedging: { delayMs: 20, budget: createHedgeBudget() },
    });
    try {
      await answerers(client, 1);
      expect(recommendCalls(set.replicas[0]!)).toBe(1);
      expect(await client.waitForReady(new Date(Date.now() + 10_000))).toBe(true);
      // Connected: a call slower than the delay is hedged, here to the same (only) replica.
      await answerers(client, 1);
      expect(recommendCalls(set.replicas[0]!)).toBe(3);
    } finally {
      client.close();
      await set.stop();
    }
  });

  it('without hedging the slow replica answers its share (the check above can fail)', async () => {
    const set = await startReplicaSet([answeringAs('slow', SLOW_MS), answeringAs('fast')]);
    const client = createRecommendationsClient({ address: set.target, timeoutMs: 2000 });
    try {
      expect(new Set(await answerers(client, 4))).toEqual(new Set(['slow', 'fast']));
    } finally {
      client.close();
      await set.stop();
    }
  });
});

describe('the hedge budget with every replica failing', () => {
  const CALLS = 40;

  it(`sends ${CALLS} calls as at most ${CALLS} + 10 attempts, and the rest unhedged`, async () => {
    const set = await startReplicaSet([1, 2, 3].map(() => failingWith(Status.UNAVAILABLE)));
    let suppressed = 0;
    const budget = createHedgeBudget();
    const client = createRecommendationsClient({
      address: set.target,
      timeoutMs: 2000,
      hedging: { delayMs: 20, budget, onSuppressed: () => (suppressed += 1) },
    });
    try {
      expect(new Set(await answerers(client, CALLS))).toEqual(new Set(['unavailable']));
      const attempts = set.replicas.map(recommendCalls).reduce((a, b) => a + b, 0);
      // 5 calls hedged (2 attempts each) spend the budget; then grpc-js' retry throttling lets
      // the second channel retry twice (3 + 2 attempts) before every call is one attempt.
      expect(attempts).toBeLessThanOrEqual(CALLS + 10);
      expect(suppressed).toBe(CALLS - 5);
      expect(budget.allowsHedging()).toBe(false);
    } finally {
      client.close();
      await set.stop();
    }
  });

  it('without the budget grpc-js sends every one of them twice', async () => {
    const set = await startReplicaSet([1, 2, 3].map(() => failingWith(Status.UNAVAILABLE)));
    const client = createRecommendationsClient({
      address: set.target,
      timeoutMs: 2000,
      hedging: { delayMs: 20, budget: UNLIMITED },
    });
    const attempts = () => set.replicas.map(recommendCalls).reduce((a, b) => a + b, 0);
    try {
      await answerers(client, 1); // connects the hedging channel (this call goes unhedged)
      expect(await client.waitForReady(new Date(Date.now() + 10_000))).toBe(true);
      const before = attempts();
      await answerers(client, CALLS);
      expect(attempts() - before).toBe(2 * CALLS);
    } finally {
      client.close();
      await set.stop();
    }
  });

  it('closes both channels', async () => {
    const budget = createHedgeBudget();
    for (let i = 0; i < 5; i += 1) budget.record(Status.UNAVAILABLE);
    const channels = createRecommendationsChannels({
      address: '127.0.0.1:1',
      credentials: (await import('@grpc/grpc-js')).credentials.createInsecure(),
      channelOptions: {},
      interceptors: [],
      hedging: { delayMs: 20, budget },
    });
    const unhedged = channels.forHedgeableCall();
    expect(unhedged).not.toBe(channels.main);
    channels.close();
    for (const client of [channels.main, unhedged])
      expect(client.getChannel().getConnectivityState(false)).toBe(State.SHUTDOWN);
  });
});
