import type { Book, BookCategory } from '@bookstore/contracts';
import type { CallContext, CallOutcome, ListedBooks, RecommendationsClient } from '../recommendations/client';

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
  catalogVersion: {
    type: 'string',
    pattern: '^[0-9a-f]{1,64}$',
    description:
      'The catalog version the link was made under (`next` and `previous` carry it); 409 when the catalog ' +
      'answering now has another one',
  },
} as const;

/** Thrown for a query JSON schema cannot judge alone; the error handler answers 400 with it. */
export class PagingQueryError extends Error {
  readonly statusCode = 400;
}

/**
 * A `next`/`previous` link made under one catalog version, followed when Recommendations serves
 * another (a rollout of a new catalog, replicas started with different files): 409. Pages of two
 * catalogs do not add up to either — a book added below the cursor is never seen, a removed one
 * stays in the reader's copy — and restarting silently would show page 1 under a `next` link (and
 * loop a client forever while replicas disagree). The reader starts again from the first page.
 */
export class CatalogChangedError extends Error {
  readonly statusCode = 409;
  constructor(
    readonly linkVersion: string,
    readonly catalogVersion: string,
    firstPage: string,
  ) {
    super(
      `The catalog changed while you were paging (version ${linkVersion}, now ${catalogVersion}). ` +
        `Start again from the first page: ${firstPage}`,
    );
  }
}

/** The response header naming the catalog version a page came from (on 409 too: the one now served). */
export const CATALOG_VERSION_HEADER = 'catalog-version';

/**
 * readBookPage, naming the catalog version on the reply: of the page, or on a 409 the version
 * served now (so the reader knows which version its restart will page through).
 */
export async function readBookPageFor(
  reply: { header(name: string, value: string): unknown },
  ...args: Parameters<typeof readBookPage>
): Promise<CallOutcome<BookPage>> {
  try {
    const outcome = await readBookPage(...args);
    const version = outcome.available ? outcome.value.catalogVersion : undefined;
    if (version !== undefined) reply.header(CATALOG_VERSION_HEADER, version);
    return outcome;
  } catch (error) {
    if (error instanceof CatalogChangedError) reply.header(CATALOG_VERSION_HEADER, error.catalogVersion);
    throw error;
  }
}

export interface BookPage {
  readonly books: Book[];
  /** The `after` of the next page, when there is one. */
  readonly nextAfter: number | undefined;
  /** The `before` of the previous page, when there is one. */
  readonly previousBefore: number | undefined;
  /** The version of the catalog the page came from, when Recommendations names it. */
  readonly catalogVersion: string | undefined;
}

/** The version a link was made under (`catalogVersion`), against the one that answered. */
function checkVersion(listed: ListedBooks, linkVersion: string | undefined, firstPage: string): void {
  const now = listed.catalogVersion;
  if (linkVersion !== undefined && now !== undefined && linkVersion !== now) {
    throw new CatalogChangedError(linkVersion, now, firstPage);
  }
}

/**
 * One page of the catalog, read with ListBooks' paging fields: one more book than the page is
 * asked for, to know whether a page follows (or, going backwards, precedes). The cost is the
 * page's, whatever the catalog's size.
 */
export async function readBookPage(
  recommendations: RecommendationsClient,
  query: { category?: BookCategory; after?: number; before?: number; size?: number; catalogVersion?: string },
  context?: CallContext,
  /** The first page's path, named when the catalog changed under a link (CatalogChangedError). */
  firstPage = '/books',
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
    checkVersion(outcome.value, query.catalogVersion, firstPage);
    const books = outcome.value.books;
    const earlier = books.length > size;
    const page = earlier ? books.slice(1) : books;
    const value = {
      books: page,
      // Going back from a page, the page the reader came from follows this one.
      nextAfter: page.at(-1)?.id ?? (query.before > 1 ? query.before - 1 : undefined),
      previousBefore: earlier ? page[0]?.id : undefined,
      catalogVersion: outcome.value.catalogVersion,
    };
    return { available: true, value };
  }
  const after = query.after ?? 0;
  const outcome = await recommendations.listBooks(
    { category: query.category, startAfterId: after, limit: size + 1 },
    context,
  );
  if (!outcome.available) return outcome;
  checkVersion(outcome.value, query.catalogVersion, firstPage);
  const books = outcome.value.books;
  const later = books.length > size;
  const page = later ? books.slice(0, size) : books;
  const value = {
    books: page,
    nextAfter: later ? page.at(-1)?.id : undefined,
    previousBefore: after > 0 ? (page[0]?.id ?? Math.min(after + 1, MAX_ID)) : undefined,
    catalogVersion: outcome.value.catalogVersion,
  };
  return { available: true, value };
}

type KeptParameters = Record<string, string | number | undefined>;

function withParameters(path: string, keep: KeptParameters, extra: [string, string | undefined][] = []): string {
  const params = new URLSearchParams();
  for (const [key, kept] of Object.entries(keep)) if (kept !== undefined) params.set(key, String(kept));
  for (const [key, value] of extra) if (value !== undefined) params.set(key, value);
  const query = params.toString();
  return query === '' ? path : `${path}?${query}`;
}

/** The first page's link, keeping the other parameters (category, limit). */
export function firstPageOf(path: string, keep: KeptParameters = {}): string {
  return withParameters(path, keep);
}

/**
 * `path?…&after=n` / `…&before=n`, keeping the other parameters (category, limit), and, for the
 * pages, the catalog version the page came from so the next one can tell when the catalog
 * changed. The JSON API's links stay as v1 wrote them (`withVersion: false`): its clients send
 * `catalogVersion` themselves, from the `Catalog-Version` header, when they want the check.
 */
export function pageLinks(
  path: string,
  page: BookPage,
  keep: KeptParameters = {},
  { withVersion }: { withVersion: boolean } = { withVersion: true },
) {
  const link = (name: 'after' | 'before', value: number | undefined) =>
    value === undefined
      ? undefined
      : withParameters(path, keep, [
          [name, String(value)],
          ['catalogVersion', withVersion ? page.catalogVersion : undefined],
        ]);
  return { next: link('after', page.nextAfter), previous: link('before', page.previousBefore) };
}
