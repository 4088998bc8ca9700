import { BookCategory, type BookRecommendation, ReaderEventKind } from '@bookstore/contracts';
import { status as Status } from '@grpc/grpc-js';
import { BOOKS } from '../../src/domain/books';
import { getBook, openRecordEvents, recommend, rejectionOf } from '../support/calls';
import { createMemoryStore } from '../support/memory-store';
import { withTestServer } from '../support/with-test-server';

const { BOOK_CATEGORY_MYSTERY: MYSTERY, BOOK_CATEGORY_SELF_HELP: SELF_HELP } = BookCategory;
const MYSTERY_IDS = BOOKS.filter((book) => book.category === MYSTERY).map((book) => book.id); // 1 2 3 10 11 12
const title = (id: number) => BOOKS.find((book) => book.id === id)?.title;

/** Views, oldest first, sent over RecordEvents as the Marketplace would. */
const HISTORIES: Record<number, number[]> = {
  100: [1, 2, 3],
  101: [1, 2],
  102: [1, 10],
  103: [12, 11],
  7: [1], // the reader under test: 1's co-views are 2 (twice), then 3 and 10 (once each)
  8: [12], // 12's only co-view is 11: one personalised pick, the rest random
  9: [4], // a science-fiction reader asking for self-help: nothing co-viewed there
};

const picksOf = (recommendations: BookRecommendation[]) =>
  recommendations.map(({ id, becauseOfBookId }) => ({ id, becauseOfBookId }));

describe('Recommend and GetBook with reader history', () => {
  const t = withTestServer({ store: createMemoryStore });
  beforeAll(async () => {
    const stream = openRecordEvents(t.server.client);
    let at = Date.now() - 60_000;
    const events = Object.entries(HISTORIES).flatMap(([userId, books]) =>
      books.map((bookId) => ({
        eventId: `${userId}-${bookId}`,
        userId: Number(userId),
        bookId,
        kind: ReaderEventKind.READER_EVENT_KIND_VIEWED,
        occurredAt: new Date((at += 1000)),
      })),
    );
    expect((await stream.send(events)).rejected).toEqual([]);
    await stream.end();
  });

  it('answers a reader with history the books co-viewed with theirs, most co-viewed first, each with its reason', async () => {
    const { recommendations } = await recommend(t.server.client, { userId: 7, category: MYSTERY, maxResults: 3 });
    expect(picksOf(recommendations)).toEqual([
      { id: 2, becauseOfBookId: 1 },
      { id: 3, becauseOfBookId: 1 },
      { id: 10, becauseOfBookId: 1 },
    ]);
    expect(recommendations[0]?.becauseOfTitle).toBe(title(1));
  });

  it('tops up with random books of the category, never one the reader viewed', async () => {
    for (let round = 0; round < 20; round += 1) {
      const { recommendations } = await recommend(t.server.client, { userId: 8, category: MYSTERY, maxResults: 0 });
      expect(recommendations).toHaveLength(3);
      expect(recommendations[0]).toMatchObject({ id: 11, becauseOfBookId: 12, becauseOfTitle: title(12) });
      const rest = recommendations.slice(1);
      expect(rest.every((pick) => pick.becauseOfBookId === 0 && pick.becauseOfTitle === '')).toBe(true);
      expect(rest.map((pick) => pick.id).filter((id) => id === 11 || id === 12)).toEqual([]);
      expect(rest.every((pick) => MYSTERY_IDS.includes(pick.id))).toBe(true);
    }
  });

  it('answers random picks of the category when nothing co-viewed is in it', async () => {
    const { recommendations } = await recommend(t.server.client, { userId: 9, category: SELF_HELP, maxResults: 3 });
    expect(recommendations).toHaveLength(3);
    expect(recommendations.every((pick) => pick.becauseOfBookId === 0)).toBe(true);
  });

  it('answers an anonymous reader (user 0) random picks, as the first release did', async () => {
    const { recommendations } = await recommend(t.server.client, { userId: 0, category: MYSTERY, maxResults: 3 });
    expect(recommendations).toHaveLength(3);
    expect(recommendations.every((pick) => pick.becauseOfBookId === 0 && MYSTERY_IDS.includes(pick.id))).toBe(true);
  });

  it('keeps the validation of every request (a known reader with a negative max_results)', async () => {
    const error = await rejectionOf(recommend(t.server.client, { userId: 7, category: MYSTERY, maxResults: -1 }));
    expect({ code: error.code, details: error.details }).toEqual({
      code: Status.INVALID_ARGUMENT,
      details: 'max_results must be >= 0 (got -1)',
    });
  });

  it('GetBook: the book and what its readers also viewed, because of it', async () => {
    const { book, alsoViewed } = await getBook(t.server.client, 1);
    expect(book).toEqual({ ...BOOKS[0] });
    expect(alsoViewed.map(({ id, becauseOfBookId }) => ({ id, becauseOfBookId }))).toEqual([
      { id: 2, becauseOfBookId: 1 },
      { id: 3, becauseOfBookId: 1 },
      { id: 10, becauseOfBookId: 1 },
    ]);
    expect((await getBook(t.server.client, 5)).alsoViewed).toEqual([]);
  });

  it.each([
    [0, Status.INVALID_ARGUMENT, 'book_id must be >= 1 (got 0)'],
    [-3, Status.INVALID_ARGUMENT, 'book_id must be >= 1 (got -3)'],
    [99, Status.NOT_FOUND, 'unknown book 99'],
  ])('GetBook %d: %s', async (bookId, code, details) => {
    const error = await rejectionOf(getBook(t.server.client, bookId));
    expect({ code: error.code, details: error.details }).toEqual({ code, details });
  });

  it.each(['fail', 'hang'] as const)(
    'answers without the store when it is %sing: random picks, a book without "also viewed", counted',
    async (mode) => {
      t.store.mode = mode;
      try {
        const { recommendations } = await recommend(t.server.client, { userId: 7, category: MYSTERY, maxResults: 3 });
        expect(recommendations).toHaveLength(3);
        expect(recommendations.every((pick) => pick.becauseOfBookId === 0)).toBe(true);
        expect(await getBook(t.server.client, 1)).toMatchObject({ book: { id: 1 }, alsoViewed: [] });
      } finally {
        t.store.mode = 'ok';
      }
      const metrics = await t.server.metrics();
      const count = mode === 'fail' ? 1 : 2;
      expect(metrics).toContain(`recommendations_degraded_total{operation="recommend"} ${count}`);
      expect(metrics).toContain(`recommendations_degraded_total{operation="get_book"} ${count}`);
      // Logged once a minute per operation, not once per call.
      const lines = t.server.logs.filter((line) => line.msg === 'event store failed or slow: answering without it');
      expect(lines.map((line) => line.operation).sort()).toEqual(['get_book', 'recommend']);
    },
  );
});
