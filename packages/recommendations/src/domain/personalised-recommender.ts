import type { CoView, EventStore, RecentView } from '../store/event-store';
import type { BookList } from './book-columns';
import { type Catalog, findBook } from './catalog';
import { firstInOrder } from './first-in-order';
import {
  DEFAULT_MAX_RESULTS,
  MAX_PAGE_SIZE,
  type RecommendedBook,
  type Recommender,
  type RecommendQuery,
} from './recommender';
import { type RandomSource, samplePositions } from './sample';
import { withinBudget } from './store-reads';

/**
 * Recent views read per reader (the read model keeps 50) and co-viewed books read per view (it
 * keeps the top 50 of each): the 20 most recent views and the top 20 of each, 400 candidates at
 * most, one store round trip. Reading all 50 x 50 cost a known reader 0.03x an anonymous
 * reader's throughput on Valkey (bench/personalisation.js, docs/benchmarks.md).
 */
export const MAX_HISTORY_VIEWS = 20;
export const CO_VIEWS_PER_BOOK = 20;

interface History {
  readonly views: RecentView[];
  readonly coViews: CoView[][];
}

interface Candidate {
  readonly bookId: number;
  readonly count: number;
  /** Position of the viewed book it came from in the history: 0 is the most recent. */
  readonly recency: number;
  readonly becauseId: number;
}

/** Whether `list` (in id order) holds `id`: ids only, no title or author decoded. */
function holds(list: BookList, id: number): boolean {
  const at = list.indexAfter(id - 1);
  return at < list.length && list.idAt(at) === id;
}

/** Category lists up to this many books get a Set of their ids (~0.5 MB at most); larger ones are searched. */
const MAX_SET_IDS = 20_000;
/** Each category list's ids, made on first use: a catalog's lists are made once and never change. */
const idSets = new WeakMap<BookList, Set<number>>();

/**
 * Whether a book of `list` (a category's books) has this id. ~400 candidates a call are checked
 * against their category, and a hash lookup costs a fraction of a binary search over the list
 * (docs/benchmarks.md, "Personalisation", step 6); a list of more than MAX_SET_IDS books is
 * searched, so a huge catalog does not pay for a Set of every id.
 */
function membership(list: BookList): (id: number) => boolean {
  if (list.length > MAX_SET_IDS) return (id) => holds(list, id);
  let ids = idSets.get(list);
  if (ids === undefined) {
    ids = new Set();
    for (let i = 0; i < list.length; i++) ids.add(list.idAt(i));
    idSets.set(list, ids);
  }
  const set = ids;
  return (id) => set.has(id);
}

/** Each view's book once, most recent first (the store may hold a book viewed twice). */
function distinctViews(views: readonly RecentView[]): RecentView[] {
  const seen = new Set<number>();
  return views.filter((view) => !seen.has(view.bookId) && seen.add(view.bookId));
}

/** Most co-viewed first; on equal counts the one from the more recently viewed book, then the lower id. */
const byRank = (a: Candidate, b: Candidate) => b.count - a.count || a.recency - b.recency || a.bookId - b.bookId;

/**
 * The first `limit` books of the category co-viewed with the history, never one the reader
 * viewed, by co-view count; on equal counts the one from the more recently viewed book first. A
 * book co-viewed with several viewed books keeps its highest count (and that book as its reason).
 */
function rank(history: History, query: RecommendQuery, catalog: Catalog, limit: number): Candidate[] {
  const viewed = new Set(history.views.map((view) => view.bookId));
  const inCategory = membership(catalog.inCategory(query.category));
  const all = catalog.all();
  const best = new Map<number, Candidate>();
  history.views.forEach((view, recency) => {
    if (!holds(all, view.bookId)) return;
    for (const { bookId, count } of history.coViews[recency] ?? []) {
      if (viewed.has(bookId) || (best.get(bookId)?.count ?? 0) >= count) continue;
      if (inCategory(bookId)) best.set(bookId, { bookId, count, recency, becauseId: view.bookId });
    }
  });
  return firstInOrder(best.values(), limit, byRank);
}

/** `need` random books of the category outside `excluded`: sampling need + |excluded| always finds them. */
function randomOutside(
  catalog: Catalog,
  query: RecommendQuery,
  excluded: Set<number>,
  need: number,
  random: RandomSource,
) {
  if (need <= 0) return [];
  const books = catalog.inCategory(query.category);
  return samplePositions(books.length, need + excluded.size, random)
    .map((position) => books.at(position))
    .filter((book) => !excluded.has(book.id))
    .slice(0, need);
}

/**
 * Recommend that reads the reader's history: user 0 (anonymous) is answered by `recommender`
 * exactly as before, synchronously. A known reader gets books co-viewed with their recent views
 * (each naming the viewed book it is "because of"), topped up with random picks of the category
 * they have not viewed. Validation is `recommender`'s, first, with its messages. When the store
 * fails or (unless it reads in process) does not answer within `readTimeoutMs`, the reader gets
 * `recommender`'s random picks: degraded, told to `onDegraded`, never an error.
 */
export function createPersonalisedRecommender(options: {
  recommender: Recommender;
  catalog: Catalog;
  store: EventStore;
  readTimeoutMs: number;
  random?: RandomSource;
  onDegraded?: (error: unknown) => void;
}): Recommender {
  const { recommender, catalog, store, readTimeoutMs } = options;
  const random = options.random ?? Math.random;

  async function readHistory(userId: number): Promise<History> {
    const { views, coViews } = await store.readerHistory(userId, MAX_HISTORY_VIEWS, CO_VIEWS_PER_BOOK);
    // A store may hold a book viewed twice: keep each book's most recent view, with its list.
    const distinct = distinctViews(views);
    return distinct.length === views.length
      ? { views, coViews }
      : { views: distinct, coViews: distinct.map((view) => coViews[views.indexOf(view)] ?? []) };
  }

  async function personalise(query: RecommendQuery, randomPicks: RecommendedBook[] | Promise<RecommendedBook[]>) {
    const fallback = await randomPicks;
    let history: History;
    try {
      // A timer per read is a measured cost on every call; memory needs no budget.
      history = await (store.readsInProcess
        ? readHistory(query.userId)
        : withinBudget(() => readHistory(query.userId), readTimeoutMs));
    } catch (error) {
      options.onDegraded?.(error);
      return fallback;
    }
    if (history.views.length === 0) return fallback;
    const count = Math.min(query.maxResults === 0 ? DEFAULT_MAX_RESULTS : query.maxResults, MAX_PAGE_SIZE);
    const picks: RecommendedBook[] = rank(history, query, catalog, count).flatMap(({ bookId, becauseId }) => {
      // Only the picks' books are decoded (title, author), not every candidate's.
      const book = findBook(catalog, bookId);
      const because = findBook(catalog, becauseId);
      return book === undefined || because === undefined
        ? []
        : [{ ...book, becauseOf: { id: because.id, title: because.title } }];
    });
    const excluded = new Set([...history.views.map((view) => view.bookId), ...picks.map((book) => book.id)]);
    return [...picks, ...randomOutside(catalog, query, excluded, count - picks.length, random)];
  }

  return {
    recommend(query) {
      // Validates (same order, same messages) and draws the anonymous answer and the fallback.
      const randomPicks = recommender.recommend(query);
      return query.userId === 0 ? randomPicks : personalise(query, randomPicks);
    },
    listBooks: (query) => recommender.listBooks(query),
  };
}
