import { BookCategory } from '@bookstore/contracts';
import type { CatalogBook } from './books';
import type { BookList, Catalog } from './catalog';
import { InvalidArgumentError, NotFoundError } from './errors';
import { type RandomSource, samplePositions } from './sample';

/** How many books `max_results: 0` stands for, as in the tutorial. */
export const DEFAULT_MAX_RESULTS = 3;

/** The most books one ListBooks page (`limit`) may ask for (0 still means "the rest"), and one Recommend answers. */
export const MAX_PAGE_SIZE = 1000;

export interface RecommendQuery {
  readonly userId: number;
  readonly category: BookCategory;
  readonly maxResults: number;
}

/** A window of the catalog (ListBooksRequest): ids above `startAfterId`, or the last `limit` below `endBeforeId`. */
export interface ListBooksQuery {
  readonly category: BookCategory;
  /** 0 starts at the first book. */
  readonly startAfterId?: number;
  /** 0 for none. */
  readonly endBeforeId?: number;
  /** 0 for every book of the window. */
  readonly limit?: number;
}

/** A recommended book; a personalised pick also names the viewed book it was co-viewed with. */
export interface RecommendedBook extends CatalogBook {
  readonly becauseOf?: { readonly id: number; readonly title: string };
}

/**
 * The recommendation rules. The embedded catalog answers synchronously; the interface also
 * admits a promise so a store-backed recommender (or a slow test double) fits unchanged.
 */
export interface Recommender {
  /** Distinct books of the query's category. Throws InvalidArgumentError or NotFoundError. */
  recommend(query: RecommendQuery): RecommendedBook[] | Promise<RecommendedBook[]>;
  /**
   * The books of one category (or the whole catalog for UNSPECIFIED) in id order, within the
   * query's window. Made lazily, one at a time. Throws InvalidArgumentError or NotFoundError.
   */
  listBooks(query: ListBooksQuery): Iterable<CatalogBook>;
}

/** The in-memory recommender: answers synchronously. */
export interface CatalogRecommender extends Recommender {
  recommend(query: RecommendQuery): CatalogBook[];
}

function categoryBooks(catalog: Catalog, category: BookCategory): BookList {
  const books = catalog.inCategory(category);
  if (books.length === 0) throw new NotFoundError(`no books in category ${category}`);
  return books;
}

/** The positions of `books` a ListBooks query covers, checked; throws InvalidArgumentError. */
function windowOf(books: BookList, query: ListBooksQuery): { from: number; to: number } {
  const { startAfterId = 0, endBeforeId = 0, limit = 0 } = query;
  const violations: string[] = [];
  if (startAfterId < 0) violations.push(`start_after_id must be >= 0 (got ${startAfterId})`);
  if (endBeforeId < 0) violations.push(`end_before_id must be >= 0 (got ${endBeforeId})`);
  if (startAfterId > 0 && endBeforeId > 0) violations.push('start_after_id and end_before_id cannot be combined');
  if (limit < 0 || limit > MAX_PAGE_SIZE) violations.push(`limit must be 0 to ${MAX_PAGE_SIZE} (got ${limit})`);
  if (violations.length > 0) throw new InvalidArgumentError(violations);

  if (endBeforeId > 0) {
    const to = books.indexAfter(endBeforeId - 1);
    return { from: limit === 0 ? 0 : Math.max(0, to - limit), to };
  }
  const from = books.indexAfter(startAfterId);
  return { from, to: limit === 0 ? books.length : Math.min(books.length, from + limit) };
}

function* between(books: BookList, from: number, to: number): Generator<CatalogBook> {
  for (let i = from; i < to; i += 1) yield books.at(i);
}

/** The recommendation rules, free of any transport: the tutorial's `RecommendationService` logic. */
export function createRecommender(options: { catalog: Catalog; random?: RandomSource }): CatalogRecommender {
  const { catalog } = options;
  const random = options.random ?? Math.random;
  return {
    recommend({ userId, category, maxResults }) {
      const violations: string[] = [];
      // 0 (proto3's unset) is an anonymous reader, as in the first release: v1 must keep taking it.
      if (userId < 0) violations.push(`user_id must be >= 0 (got ${userId})`);
      if (maxResults < 0) violations.push(`max_results must be >= 0 (got ${maxResults})`);
      if (category === BookCategory.BOOK_CATEGORY_UNSPECIFIED) violations.push('category is required');
      if (violations.length > 0) throw new InvalidArgumentError(violations);

      const books = categoryBooks(catalog, category);
      // Capped, so no request costs more than MAX_PAGE_SIZE books, whatever the catalog's size.
      const count = Math.min(maxResults === 0 ? DEFAULT_MAX_RESULTS : maxResults, MAX_PAGE_SIZE);
      return samplePositions(books.length, count, random).map((position) => books.at(position));
    },
    listBooks(query) {
      const books =
        query.category === BookCategory.BOOK_CATEGORY_UNSPECIFIED
          ? catalog.all()
          : categoryBooks(catalog, query.category);
      const { from, to } = windowOf(books, query);
      return between(books, from, to);
    },
  };
}
