import type { CoView, EventStore, RecentView } from '../store/event-store';
import type { CatalogBook } from './books';
import { type Catalog, findBook } from './catalog';
import {
  DEFAULT_MAX_RESULTS,
  MAX_PAGE_SIZE,
  type RecommendedBook,
  type Recommender,
  type RecommendQuery,
} from './recommender';
import { type RandomSource, samplePositions } from './sample';
import { withinBudget } from './store-reads';

/** Recent views read per reader: the read model keeps 50 (DEFAULT_READ_MODEL_LIMITS). */
export const MAX_HISTORY_VIEWS = 50;
/** Co-viewed books read per viewed book: the read model keeps the top 50 of each. */
export const CO_VIEWS_PER_BOOK = 50;

interface History {
  readonly views: RecentView[];
  readonly coViews: CoView[][];
}

interface Candidate {
  readonly book: CatalogBook;
  readonly count: number;
  /** Position of the viewed book it came from in the history: 0 is the most recent. */
  readonly recency: number;
  readonly because: CatalogBook;
}

/** Each view's book once, most recent first (the store may hold a book viewed twice). */
function distinctViews(views: readonly RecentView[]): RecentView[] {
  const seen = new Set<number>();
  return views.filter((view) => !seen.has(view.bookId) && seen.add(view.bookId));
}

/**
 * Books of the category co-viewed with the history, never one the reader viewed, by co-view
 * count; on equal counts the one from the more recently viewed book first. A book co-viewed with
 * several viewed books keeps its highest count (and that book as its reason).
 */
function rank(history: History, query: RecommendQuery, catalog: Catalog): Candidate[] {
  const viewed = new Set(history.views.map((view) => view.bookId));
  const best = new Map<number, Candidate>();
  history.views.forEach((view, recency) => {
    const because = findBook(catalog, view.bookId);
    if (because === undefined) return;
    for (const { bookId, count } of history.coViews[recency] ?? []) {
      if (viewed.has(bookId) || (best.get(bookId)?.count ?? 0) >= count) continue;
      const book = findBook(catalog, bookId);
      if (book?.category === query.category) best.set(bookId, { book, count, recency, because });
    }
  });
  return [...best.values()].sort((a, b) => b.count - a.count || a.recency - b.recency || a.book.id - b.book.id);
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
 * fails or does not answer within `readTimeoutMs`, the reader gets `recommender`'s random picks:
 * degraded, told to `onDegraded`, never an error.
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
    const views = distinctViews(await store.recentViews(userId, MAX_HISTORY_VIEWS));
    const coViews = await Promise.all(views.map((view) => store.coViewed(view.bookId, CO_VIEWS_PER_BOOK)));
    return { views, coViews };
  }

  async function personalise(query: RecommendQuery, randomPicks: RecommendedBook[] | Promise<RecommendedBook[]>) {
    const fallback = await randomPicks;
    let history: History;
    try {
      history = await withinBudget(() => readHistory(query.userId), readTimeoutMs);
    } catch (error) {
      options.onDegraded?.(error);
      return fallback;
    }
    if (history.views.length === 0) return fallback;
    const count = Math.min(query.maxResults === 0 ? DEFAULT_MAX_RESULTS : query.maxResults, MAX_PAGE_SIZE);
    const picks: RecommendedBook[] = rank(history, query, catalog)
      .slice(0, count)
      .map(({ book, because }) => ({ ...book, becauseOf: { id: because.id, title: because.title } }));
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
