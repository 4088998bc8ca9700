import { BookCategory } from '@bookstore/contracts';
import { BOOKS } from '../../src/domain/books';
import { createCatalog } from '../../src/domain/catalog';
import { InvalidArgumentError, NotFoundError } from '../../src/domain/errors';
import { createRecommender, MAX_PAGE_SIZE } from '../../src/domain/recommender';
import { seededRandom } from '../../src/domain/sample';

const {
  BOOK_CATEGORY_MYSTERY: MYSTERY,
  BOOK_CATEGORY_SCIENCE_FICTION: SCI_FI,
  BOOK_CATEGORY_UNSPECIFIED,
} = BookCategory;
const recommender = createRecommender({ catalog: createCatalog(BOOKS, { minPerCategory: 6 }) });
const mysteryIds = BOOKS.filter((b) => b.category === MYSTERY).map((b) => b.id);

describe('recommend', () => {
  it('answers one mystery book for max 1 (the tutorial test)', () => {
    const books = recommender.recommend({ userId: 1, category: MYSTERY, maxResults: 1 });
    expect(books).toHaveLength(1);
    expect(mysteryIds).toContain(books[0]?.id);
  });

  it('answers 3 distinct books of the category when max is 0', () => {
    const books = recommender.recommend({ userId: 1, category: SCI_FI, maxResults: 0 });
    expect(books).toHaveLength(3);
    expect(new Set(books.map((b) => b.id)).size).toBe(3);
    for (const book of books) expect(book.category).toBe(SCI_FI);
  });

  it('answers the whole category when max exceeds it', () => {
    const books = recommender.recommend({ userId: 1, category: MYSTERY, maxResults: 2 ** 31 - 1 });
    expect(books.map((b) => b.id).sort((a, b) => a - b)).toEqual(mysteryIds);
  });

  it('samples uniformly: every book is picked about equally often', () => {
    // Seeded: the statistic is the same on every run. With Math.random the 0.999 bound below
    // failed about 1 run in 1,000 by chance alone.
    const seeded = createRecommender({ catalog: createCatalog(BOOKS), random: seededRandom(20261122) });
    const counts = new Map<number, number>();
    const draws = 6000;
    for (let i = 0; i < draws; i += 1) {
      for (const book of seeded.recommend({ userId: 1, category: MYSTERY, maxResults: 3 })) {
        counts.set(book.id, (counts.get(book.id) ?? 0) + 1);
      }
    }
    // 3 of 6 per draw: each book is expected in half the draws. Chi-square with 5 degrees of
    // freedom stays under 20.5 with probability 0.999 when sampling is uniform.
    const expected = (draws * 3) / mysteryIds.length;
    const chiSquare = mysteryIds.reduce((sum, id) => sum + ((counts.get(id) ?? 0) - expected) ** 2 / expected, 0);
    expect(chiSquare).toBeLessThan(20.5);
  });

  it('detects a biased source with the same statistic (the uniformity test can fail)', () => {
    const uniform = seededRandom(7);
    // Cubed, the source favours small numbers: the first positions are picked too often.
    const biased = createRecommender({ catalog: createCatalog(BOOKS), random: () => uniform() ** 3 });
    const counts = new Map<number, number>();
    for (let i = 0; i < 6000; i += 1) {
      for (const book of biased.recommend({ userId: 1, category: MYSTERY, maxResults: 3 })) {
        counts.set(book.id, (counts.get(book.id) ?? 0) + 1);
      }
    }
    const expected = (6000 * 3) / mysteryIds.length;
    const chiSquare = mysteryIds.reduce((sum, id) => sum + ((counts.get(id) ?? 0) - expected) ** 2 / expected, 0);
    expect(chiSquare).toBeGreaterThan(20.5);
  });

  it('answers at most MAX_PAGE_SIZE books, however many are asked for', () => {
    const many = createRecommender({
      catalog: createCatalog(
        Array.from({ length: 3 * MAX_PAGE_SIZE + 3 }, (_, i) => ({
          id: i + 1,
          title: 't',
          author: 'a',
          category: (i % 3) + 1,
        })),
      ),
    });
    expect(many.recommend({ userId: 1, category: MYSTERY, maxResults: 2 ** 31 - 1 })).toHaveLength(MAX_PAGE_SIZE);
  });

  it("answers an anonymous reader (user_id 0, proto3's unset) as any other", () => {
    expect(recommender.recommend({ userId: 0, category: MYSTERY, maxResults: 3 })).toHaveLength(3);
  });

  it('follows the injected random source', () => {
    const first = createRecommender({ catalog: createCatalog(BOOKS), random: () => 0 });
    expect(first.recommend({ userId: 1, category: MYSTERY, maxResults: 2 }).map((b) => b.id)).toEqual([1, 2]);
  });

  it.each([
    [{ userId: 1, category: MYSTERY, maxResults: -1 }, 'max_results must be >= 0 (got -1)'],
    [{ userId: -1, category: MYSTERY, maxResults: 1 }, 'user_id must be >= 0 (got -1)'],
    [{ userId: 1, category: BOOK_CATEGORY_UNSPECIFIED, maxResults: 1 }, 'category is required'],
  ])('rejects %o as an invalid argument', (query, message) => {
    expect(() => recommender.recommend(query)).toThrow(new InvalidArgumentError([message]));
  });

  it('lists every violation at once', () => {
    expect(() => recommender.recommend({ userId: -2, category: BOOK_CATEGORY_UNSPECIFIED, maxResults: -3 })).toThrow(
      'user_id must be >= 0 (got -2); max_results must be >= 0 (got -3); category is required',
    );
  });

  it('answers NOT_FOUND for a category number with no books', () => {
    expect(() => recommender.recommend({ userId: 1, category: 99 as BookCategory, maxResults: 1 })).toThrow(
      new NotFoundError('no books in category 99'),
    );
  });
});

describe('listBooks', () => {
  const ids = (query: Parameters<typeof recommender.listBooks>[0]) =>
    [...recommender.listBooks(query)].map((b) => b.id);
  const allIds = BOOKS.map((b) => b.id).sort((a, b) => a - b);

  it('lists one category in id order', () => {
    expect(ids({ category: MYSTERY })).toEqual(mysteryIds);
  });

  it('lists the whole catalog for UNSPECIFIED', () => {
    expect(ids({ category: BOOK_CATEGORY_UNSPECIFIED })).toEqual(allIds);
  });

  it('pages forwards after an id, and backwards before one', () => {
    expect(ids({ category: BOOK_CATEGORY_UNSPECIFIED, limit: 5 })).toEqual([1, 2, 3, 4, 5]);
    expect(ids({ category: BOOK_CATEGORY_UNSPECIFIED, startAfterId: 5, limit: 5 })).toEqual([6, 7, 8, 9, 10]);
    expect(ids({ category: BOOK_CATEGORY_UNSPECIFIED, startAfterId: 16, limit: 5 })).toEqual([17, 18]);
    expect(ids({ category: BOOK_CATEGORY_UNSPECIFIED, startAfterId: 18, limit: 5 })).toEqual([]);
    expect(ids({ category: BOOK_CATEGORY_UNSPECIFIED, endBeforeId: 6, limit: 5 })).toEqual([1, 2, 3, 4, 5]);
    expect(ids({ category: BOOK_CATEGORY_UNSPECIFIED, endBeforeId: 4, limit: 5 })).toEqual([1, 2, 3]);
    expect(ids({ category: MYSTERY, startAfterId: 3, limit: 2 })).toEqual([10, 11]);
    expect(ids({ category: MYSTERY, endBeforeId: 11, limit: 2 })).toEqual([3, 10]);
    // A cursor need not be a book's id: it is a position in id order.
    expect(ids({ category: MYSTERY, startAfterId: 5 })).toEqual([10, 11, 12]);
  });

  it.each([
    [{ limit: -1 }, `limit must be 0 to ${MAX_PAGE_SIZE} (got -1)`],
    [{ limit: MAX_PAGE_SIZE + 1 }, `limit must be 0 to ${MAX_PAGE_SIZE} (got ${MAX_PAGE_SIZE + 1})`],
    [{ startAfterId: -3 }, 'start_after_id must be >= 0 (got -3)'],
    [{ endBeforeId: -3 }, 'end_before_id must be >= 0 (got -3)'],
    [{ startAfterId: 2, endBeforeId: 9 }, 'start_after_id and end_before_id cannot be combined'],
  ])('rejects the window %o as an invalid argument', (window, message) => {
    expect(() => recommender.listBooks({ category: MYSTERY, ...window })).toThrow(new InvalidArgumentError([message]));
  });

  it('answers NOT_FOUND for a category number with no books', () => {
    expect(() => recommender.listBooks({ category: 42 as BookCategory })).toThrow(NotFoundError);
  });
});
