import type { EventStore } from '../store/event-store';
import type { CatalogBook } from './books';
import { type Catalog, findBook } from './catalog';
import { InvalidArgumentError, NotFoundError } from './errors';
import type { RecommendedBook } from './recommender';
import { withinBudget } from './store-reads';

/** "Readers who viewed this also viewed": how many books the book page shows. */
export const MAX_ALSO_VIEWED = 4;
/** Co-viewed entries read: a few more than shown, for ids the catalog no longer holds. */
const CO_VIEWS_READ = 2 * MAX_ALSO_VIEWED;

export interface BookDetails {
  readonly book: CatalogBook;
  /** The most co-viewed books, most first, each "because of" the book itself. */
  readonly alsoViewed: RecommendedBook[];
}

export interface BookPages {
  /** Throws InvalidArgumentError for an id below 1, NotFoundError for an id not in the catalog. */
  getBook(bookId: number): Promise<BookDetails>;
}

/**
 * One book and what its readers also viewed. The co-view read is bounded by `readTimeoutMs`:
 * when the store fails or is slow the book comes without `alsoViewed` (degraded, told to
 * `onDegraded`), never an error.
 */
export function createBookPages(options: {
  catalog: Catalog;
  store: EventStore;
  readTimeoutMs: number;
  onDegraded?: (error: unknown) => void;
}): BookPages {
  const { catalog, store, readTimeoutMs } = options;
  return {
    async getBook(bookId) {
      if (bookId < 1) throw new InvalidArgumentError([`book_id must be >= 1 (got ${bookId})`]);
      const book = findBook(catalog, bookId);
      if (book === undefined) throw new NotFoundError(`unknown book ${bookId}`);
      let coViews;
      try {
        coViews = await withinBudget(() => store.coViewed(bookId, CO_VIEWS_READ), readTimeoutMs);
      } catch (error) {
        options.onDegraded?.(error);
        return { book, alsoViewed: [] };
      }
      const alsoViewed: RecommendedBook[] = [];
      for (const { bookId: id } of coViews) {
        const other = id === bookId ? undefined : findBook(catalog, id);
        if (other !== undefined && alsoViewed.length < MAX_ALSO_VIEWED) {
          alsoViewed.push({ ...other, becauseOf: { id: book.id, title: book.title } });
        }
      }
      return { book, alsoViewed };
    },
  };
}
