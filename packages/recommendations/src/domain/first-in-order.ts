/**
 * The first `k` of `items` in `compare`'s order: what `[...items].sort(compare).slice(0, k)`
 * answers when `compare` is a total order (no two items equal), without sorting all of them.
 * A Recommend keeps 3-100 of ~100-400 candidates: most are turned away by one comparison with
 * the last one kept, where a sort compared each ~8 times.
 */
export function firstInOrder<T>(items: Iterable<T>, k: number, compare: (a: T, b: T) => number): T[] {
  const kept: T[] = [];
  if (k <= 0) return kept;
  for (const item of items) {
    if (kept.length === k && compare(item, kept[k - 1] as T) >= 0) continue;
    // Its place, from the end: a full list drops its last item.
    let at = kept.length === k ? k - 1 : kept.length;
    while (at > 0 && compare(item, kept[at - 1] as T) < 0) {
      kept[at] = kept[at - 1] as T;
      at--;
    }
    kept[at] = item;
  }
  return kept;
}
