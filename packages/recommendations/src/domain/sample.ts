/** A source of uniform floats in [0, 1), injectable so tests can make sampling deterministic. */
export type RandomSource = () => number;

/**
 * Picks `count` distinct positions of `0 … length - 1` uniformly at random, in random order:
 * every subset of that size, in every order, is equally likely. A partial Fisher-Yates shuffle
 * over a virtual array: only the positions it swaps are stored, so the cost is O(count) in time
 * and memory whatever `length` is. `count` above `length` returns every position, shuffled.
 */
export function samplePositions(length: number, count: number, random: RandomSource): number[] {
  const take = Math.min(count, length);
  const swapped = new Map<number, number>();
  const picked: number[] = [];
  for (let i = 0; i < take; i += 1) {
    const j = i + Math.floor(random() * (length - i));
    picked.push(swapped.get(j) ?? j);
    swapped.set(j, swapped.get(i) ?? i);
  }
  return picked;
}

/**
 * mulberry32: a seedable RandomSource for tests and benchmarks (the service uses Math.random).
 * Not for anything that must be unpredictable.
 */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
