import type { RecommendationServiceServer } from '@bookstore/contracts';
import type { status as Status } from '@grpc/grpc-js';
import { type FakeRecommendations, startFakeRecommendations, statusError } from './fake-recommendations';

/** A Recommend handler answering one book titled `name` after `delayMs`: who answered, by title. */
export function answeringAs(name: string, delayMs = 0): Partial<RecommendationServiceServer> {
  return {
    recommend: (_call, callback) => {
      const answer = () =>
        callback(null, { recommendations: [{ id: 1, title: name, becauseOfBookId: 0, becauseOfTitle: '' }] });
      if (delayMs === 0) answer();
      else setTimeout(answer, delayMs);
    },
  };
}

/** A Recommend handler answering `code` to every call for which `fails()` says so. */
export function failingWith(code: Status, fails: () => boolean = () => true): Partial<RecommendationServiceServer> {
  return {
    recommend: (call, callback) =>
      fails() ? callback(statusError(code)) : answeringAs('ok').recommend?.(call, callback),
  };
}

/** Replicas on loopback, one per handler set, and the `ipv4:` target naming them all (for round_robin). */
export async function startReplicaSet(handlers: Partial<RecommendationServiceServer>[]): Promise<{
  replicas: FakeRecommendations[];
  target: string;
  stop(): Promise<void>;
}> {
  const replicas = await Promise.all(handlers.map((h) => startFakeRecommendations({ handlers: h })));
  return {
    replicas,
    target: `ipv4:${replicas.map((r) => r.address).join(',')}`,
    stop: async () => {
      await Promise.all(replicas.map((r) => r.stop()));
    },
  };
}

/** Recommend calls a replica received. */
export const recommendCalls = (replica: FakeRecommendations) =>
  replica.calls.filter((c) => c.method === 'Recommend').length;
