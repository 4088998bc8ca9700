/** A source of uniform floats in [0, 1), injectable so tests can make sampling deterministic. */
export type RandomSource = () => number;

/**
 * Picks `count` distinct items uniformly at random (a partial Fisher-Yates shuffle): every
 * subset of that size, in every order, is equally likely. `count` above the length returns
 * all items, shuffled.
 */
export function sampleWithoutReplacement<T>(items: readonly T[], count: number, random: RandomSource): T[] {
  const pool = [...items];
  const take = Math.min(count, pool.length);
  for (let i = 0; i < take; i += 1) {
    const j = i + Math.floor(random() * (pool.length - i));
    const picked = pool[j] as T;
    pool[j] = pool[i] as T;
    pool[i] = picked;
  }
  return pool.slice(0, take);
}
