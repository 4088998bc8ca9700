import type { Book, BookCategory } from '@bookstore/contracts';
import type { CallContext, CallOutcome, RecommendationsClient } from './recommendations-client';

/** Books on one page of `/books`, and the API's default page. */
export const PAGE_SIZE = 50;
/** The largest page `/api/v1/books?limit=` may ask for. */
export const MAX_API_PAGE_SIZE = 100;
const MAX_ID = 2 ** 31 - 1;

/** The paging query both `/books` and `/api/v1/books` take, as JSON-schema properties. */
export const pagingQuery = {
  after: { type: 'integer', minimum: 0, maximum: MAX_ID, description: 'Books with an id above this one (next page)' },
  before: {
    type: 'integer',
    minimum: 1,
    maximum: MAX_ID,
    description: 'The page of books below this id (previous page)',
  },
} as const;

/** Thrown for a query JSON schema cannot judge alone; the error handler answers 400 with it. */
export class PagingQueryError extends Error {
  readonly statusCode = 400;
}

export interface BookPage {
  readonly books: Book[];
  /** The `after` of the next page, when there is one. */
  readonly nextAfter: number | undefined;
  /** The `before` of the previous page, when there is one. */
  readonly previousBefore: number | undefined;
}

/**
 * One page of the catalog, read with ListBooks' paging fields: one more book than the page is
 * asked for, to know whether a page follows (or, going backwards, precedes). The cost is the
 * page's, whatever the catalog's size.
 */
export async function readBookPage(
  recommendations: RecommendationsClient,
  query: { category?: BookCategory; after?: number; before?: number; size?: number },
  context?: CallContext,
): Promise<CallOutcome<BookPage>> {
  const size = query.size ?? PAGE_SIZE;
  if (query.after !== undefined && query.before !== undefined) {
    throw new PagingQueryError('after and before cannot be combined');
  }
  if (query.before !== undefined) {
    const outcome = await recommendations.listBooks(
      { category: query.category, endBeforeId: query.before, limit: size + 1 },
      context,
    );
    if (!outcome.available) return outcome;
    const books = outcome.value;
    const earlier = books.length > size;
    const page = earlier ? books.slice(1) : books;
    const value = {
      books: page,
      // Going back from a page, the page the reader came from follows this one.
      nextAfter: page.at(-1)?.id ?? (query.before > 1 ? query.before - 1 : undefined),
      previousBefore: earlier ? page[0]?.id : undefined,
    };
    return { available: true, value };
  }
  const after = query.after ?? 0;
  const outcome = await recommendations.listBooks(
    { category: query.category, startAfterId: after, limit: size + 1 },
    context,
  );
  if (!outcome.available) return outcome;
  const books = outcome.value;
  const later = books.length > size;
  const page = later ? books.slice(0, size) : books;
  const value = {
    books: page,
    nextAfter: later ? page.at(-1)?.id : undefined,
    previousBefore: after > 0 ? (page[0]?.id ?? Math.min(after + 1, MAX_ID)) : undefined,
  };
  return { available: true, value };
}

/** `path?…&after=n` / `…&before=n`, keeping the other parameters (category, limit). */
export function pageLinks(path: string, page: BookPage, keep: Record<string, string | number | undefined> = {}) {
  const link = (name: 'after' | 'before', value: number | undefined) => {
    if (value === undefined) return undefined;
    const params = new URLSearchParams();
    for (const [key, kept] of Object.entries(keep)) if (kept !== undefined) params.set(key, String(kept));
    params.set(name, String(value));
    return `${path}?${params.toString()}`;
  };
  return { next: link('after', page.nextAfter), previous: link('before', page.previousBefore) };
}
