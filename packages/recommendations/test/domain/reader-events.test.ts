import { BookCategory, ReaderEventKind } from '@bookstore/contracts';
import { BOOKS } from '../../src/domain/books';
import { createCatalog } from '../../src/domain/catalog';
import { createPersonalisedRecommender } from '../../src/domain/personalised-recommender';
import { checkBatch, MAX_CLOCK_SKEW_MS } from '../../src/domain/reader-events';
import { createRecommender } from '../../src/domain/recommender';
import { createMemoryStore } from '../support/memory-store';

const catalog = createCatalog(BOOKS, { minPerCategory: 6 });
const NOW = Date.UTC(2026, 11, 3, 12);
const VIEWED = ReaderEventKind.READER_EVENT_KIND_VIEWED;
const event = (eventId: string, more: { userId?: number; bookId?: number; occurredAt?: Date } = {}) => ({
  eventId,
  userId: 1,
  bookId: 1,
  kind: VIEWED,
  occurredAt: undefined,
  ...more,
});

describe('checkBatch', () => {
  it('dates an event without occurred_at now, and keeps an id sent twice in one batch once', () => {
    expect(checkBatch([event('a'), event('a', { bookId: 2 })], catalog, NOW)).toEqual({
      valid: [{ eventId: 'a', userId: 1, bookId: 1, kind: VIEWED, occurredAtMs: NOW }],
      rejected: [],
    });
  });

  it('takes an event up to 5 minutes ahead, not a millisecond more', () => {
    const ahead = (ms: number) => event(`+${ms}`, { occurredAt: new Date(NOW + ms) });
    const { valid, rejected } = checkBatch([ahead(MAX_CLOCK_SKEW_MS), ahead(MAX_CLOCK_SKEW_MS + 1)], catalog, NOW);
    expect(valid.map((e) => e.eventId)).toEqual([`+${MAX_CLOCK_SKEW_MS}`]);
    expect(rejected.map((r) => r.eventId)).toEqual([`+${MAX_CLOCK_SKEW_MS + 1}`]);
  });

  it('names every fault of an event, and echoes a too-long id cut to 64 bytes on a character boundary', () => {
    const id = 'é'.repeat(40); // 80 bytes of UTF-8
    const { rejected } = checkBatch([event(id, { userId: -1, bookId: 0 })], catalog, NOW);
    expect(rejected).toEqual([
      {
        eventId: 'é'.repeat(32),
        reason: 'event_id must be 1 to 64 bytes (got 80); user_id must be >= 1 (got -1); unknown book 0',
      },
    ]);
  });
});

describe('the personalised recommender', () => {
  it('ranks by co-view count, then the more recently viewed book first, never a viewed book', async () => {
    const store = createMemoryStore();
    // Reader 1 views 2, then 3. Others make: 2~10 once, 3~11 once, 3~12 twice, 2~12 once.
    const views: Array<[number, number]> = [
      [50, 2],
      [50, 10],
      [51, 3],
      [51, 11],
      [52, 3],
      [52, 12],
      [53, 3],
      [53, 12],
      [53, 2],
      [1, 2],
      [1, 3],
    ];
    await store.append(
      views.map(([userId, bookId], i) => ({ eventId: `e${i}`, userId, bookId, kind: VIEWED, occurredAtMs: NOW + i })),
    );
    const recommender = createPersonalisedRecommender({
      recommender: createRecommender({ catalog }),
      catalog,
      store,
      readTimeoutMs: 1000,
    });
    const picks = await recommender.recommend({
      userId: 1,
      category: BookCategory.BOOK_CATEGORY_MYSTERY,
      maxResults: 3,
    });
    expect(picks.map((book) => [book.id, book.becauseOf?.id])).toEqual([
      [12, 3], // co-viewed with 3 by two readers (and with 2 by one: the higher count is its reason)
      [11, 3], // once, with the more recently viewed book
      [10, 2], // once, with the older one
    ]);
  });
});

describe('the personalised recommender on a catalog of any size', () => {
  // Category lists of up to 20,000 books are checked through a Set of their ids, larger ones by a
  // binary search (personalised-recommender.ts): both must pick the same books.
  const categories = [
    BookCategory.BOOK_CATEGORY_MYSTERY,
    BookCategory.BOOK_CATEGORY_SCIENCE_FICTION,
    BookCategory.BOOK_CATEGORY_SELF_HELP,
  ];
  const books = (count: number) =>
    Array.from({ length: count }, (_, i) => ({
      id: i + 1,
      title: `Book ${i + 1}`,
      author: 'A. Writer',
      category: categories[i % 3] as BookCategory,
    }));

  async function picksOn(count: number) {
    const bigOrSmall = createCatalog(books(count));
    const store = createMemoryStore();
    // Mystery books are 1, 4, 7, …: reader 1 views 4 and 7; others co-view 10, 13 and 11 (science fiction).
    const views: Array<[number, number]> = [
      [50, 4],
      [50, 10],
      [51, 7],
      [51, 13],
      [52, 7],
      [52, 11],
      [52, 13],
      [1, 4],
      [1, 7],
    ];
    await store.append(
      views.map(([userId, bookId], i) => ({ eventId: `e${i}`, userId, bookId, kind: VIEWED, occurredAtMs: NOW + i })),
    );
    const recommender = createPersonalisedRecommender({
      recommender: createRecommender({ catalog: bigOrSmall }),
      catalog: bigOrSmall,
      store,
      readTimeoutMs: 1000,
    });
    const picks = await recommender.recommend({
      userId: 1,
      category: BookCategory.BOOK_CATEGORY_MYSTERY,
      maxResults: 2,
    });
    return picks.map((book) => [book.id, book.becauseOf?.id]);
  }

  it('picks the same books with 60 books (a Set of each category) and 60,003 (a search)', async () => {
    const expected = [
      [13, 7], // co-viewed with 7 by two readers
      [10, 4],
    ];
    expect(await picksOn(60)).toEqual(expected);
    expect(await picksOn(3 * 20_001)).toEqual(expected);
  });
});
