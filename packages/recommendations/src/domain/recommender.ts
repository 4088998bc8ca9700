import { BookCategory } from '@bookstore/contracts';
import type { CatalogBook } from './books';
import type { Catalog } from './catalog';
import { InvalidArgumentError, NotFoundError } from './errors';
import { type RandomSource, sampleWithoutReplacement } from './sample';

/** How many books `max_results: 0` stands for, as in the tutorial. */
export const DEFAULT_MAX_RESULTS = 3;

export interface RecommendQuery {
  readonly userId: number;
  readonly category: BookCategory;
  readonly maxResults: number;
}

/**
 * The recommendation rules. The embedded catalog answers synchronously; the interface also
 * admits a promise so a store-backed recommender (or a slow test double) fits unchanged.
 */
export interface Recommender {
  /** Distinct random books of the query's category. Throws InvalidArgumentError or NotFoundError. */
  recommend(query: RecommendQuery): CatalogBook[] | Promise<CatalogBook[]>;
  /** The books of one category in id order, or the whole catalog for UNSPECIFIED. */
  listBooks(category: BookCategory): Iterable<CatalogBook>;
}

function categoryBooks(catalog: Catalog, category: BookCategory): readonly CatalogBook[] {
  const books = catalog.inCategory(category);
  if (books.length === 0) throw new NotFoundError(`no books in category ${category}`);
  return books;
}

/** The recommendation rules, free of any transport: the tutorial's `RecommendationService` logic. */
/** The in-memory recommender: answers synchronously. */
export interface CatalogRecommender extends Recommender {
  recommend(query: RecommendQuery): CatalogBook[];
}

export function createRecommender(options: { catalog: Catalog; random?: RandomSource }): CatalogRecommender {
  const { catalog } = options;
  const random = options.random ?? Math.random;
  return {
    recommend({ userId, category, maxResults }) {
      const violations: string[] = [];
      if (userId < 1) violations.push(`user_id must be >= 1 (got ${userId})`);
      if (maxResults < 0) violations.push(`max_results must be >= 0 (got ${maxResults})`);
      if (category === BookCategory.BOOK_CATEGORY_UNSPECIFIED) violations.push('category is required');
      if (violations.length > 0) throw new InvalidArgumentError(violations);

      const books = categoryBooks(catalog, category);
      return sampleWithoutReplacement(books, maxResults === 0 ? DEFAULT_MAX_RESULTS : maxResults, random);
    },
    listBooks(category) {
      if (category === BookCategory.BOOK_CATEGORY_UNSPECIFIED) return catalog.all();
      return categoryBooks(catalog, category);
    },
  };
}
