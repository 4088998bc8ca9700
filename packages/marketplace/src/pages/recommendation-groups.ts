import type { BookRecommendation } from '@bookstore/contracts';

/** Personal picks made because the reader viewed one book: that book's title and the picks. */
export interface BecauseGroup {
  readonly bookId: number;
  readonly title: string;
  readonly books: { id: number; title: string }[];
}

/**
 * Splits an answer of Recommend into "Because you viewed «title»" groups (in the order their
 * first pick came, which is the server's order of preference) and the random picks, as
 * the homepage shows them. Not `personal` (the id was not the reader's own cookie): one list.
 */
export function groupRecommendations(
  picks: readonly BookRecommendation[],
  options: { personal: boolean },
): {
  because: BecauseGroup[];
  others: { id: number; title: string }[];
} {
  const because = new Map<number, BecauseGroup>();
  const others: { id: number; title: string }[] = [];
  for (const { id, title, becauseOfBookId, becauseOfTitle } of picks) {
    if (!options.personal || becauseOfBookId === 0 || becauseOfTitle === '') {
      others.push({ id, title });
      continue;
    }
    const group = because.get(becauseOfBookId) ?? { bookId: becauseOfBookId, title: becauseOfTitle, books: [] };
    group.books.push({ id, title });
    because.set(becauseOfBookId, group);
  }
  return { because: [...because.values()], others };
}
