import { BookCategory } from '@bookstore/contracts';
import { BOOKS } from '../../src/domain/books';
import { createCatalog } from '../../src/domain/catalog';
import { InvalidArgumentError, NotFoundError } from '../../src/domain/errors';
import { createRecommender } from '../../src/domain/recommender';

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
    const counts = new Map<number, number>();
    const draws = 6000;
    for (let i = 0; i < draws; i += 1) {
      for (const book of recommender.recommend({ userId: 1, category: MYSTERY, maxResults: 3 })) {
        counts.set(book.id, (counts.get(book.id) ?? 0) + 1);
      }
    }
    // 3 of 6 per draw: each book is expected in half the draws. Chi-square with 5 degrees of
    // freedom stays under 20.5 with probability 0.999 when sampling is uniform.
    const expected = (draws * 3) / mysteryIds.length;
    const chiSquare = mysteryIds.reduce((sum, id) => sum + ((counts.get(id) ?? 0) - expected) ** 2 / expected, 0);
    expect(chiSquare).toBeLessThan(20.5);
  });

  it('follows the injected random source', () => {
    const first = createRecommender({ catalog: createCatalog(BOOKS), random: () => 0 });
    expect(first.recommend({ userId: 1, category: MYSTERY, maxResults: 2 }).map((b) => b.id)).toEqual([1, 2]);
  });

  it.each([
    [{ userId: 1, category: MYSTERY, maxResults: -1 }, 'max_results must be >= 0 (got -1)'],
    [{ userId: 0, category: MYSTERY, maxResults: 1 }, 'user_id must be >= 1 (got 0)'],
    [{ userId: 1, category: BOOK_CATEGORY_UNSPECIFIED, maxResults: 1 }, 'category is required'],
  ])('rejects %o as an invalid argument', (query, message) => {
    expect(() => recommender.recommend(query)).toThrow(new InvalidArgumentError([message]));
  });

  it('lists every violation at once', () => {
    expect(() => recommender.recommend({ userId: -2, category: BOOK_CATEGORY_UNSPECIFIED, maxResults: -3 })).toThrow(
      'user_id must be >= 1 (got -2); max_results must be >= 0 (got -3); category is required',
    );
  });

  it('answers NOT_FOUND for a category number with no books', () => {
    expect(() => recommender.recommend({ userId: 1, category: 99 as BookCategory, maxResults: 1 })).toThrow(
      new NotFoundError('no books in category 99'),
    );
  });
});

describe('listBooks', () => {
  it('lists one category in id order', () => {
    expect([...recommender.listBooks(MYSTERY)].map((b) => b.id)).toEqual(mysteryIds);
  });

  it('lists the whole catalog for UNSPECIFIED', () => {
    expect([...recommender.listBooks(BOOK_CATEGORY_UNSPECIFIED)].map((b) => b.id)).toEqual(
      BOOKS.map((b) => b.id).sort((a, b) => a - b),
    );
  });

  it('answers NOT_FOUND for a category number with no books', () => {
    expect(() => recommender.listBooks(42 as BookCategory)).toThrow(NotFoundError);
  });
});
