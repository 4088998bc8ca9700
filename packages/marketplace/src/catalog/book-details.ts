import type { BookDetails, CallContext, CallOutcome, RecommendationsClient } from '../recommendations/client';

/** Readers who viewed a book also viewed, at most: what its page and the API show. */
export const ALSO_VIEWED_MAX = 4;
const MAX_ID = 2 ** 31 - 1;

/**
 * `:id` of `/books/:id` and `/api/v1/books/:id`: a book id as the contract takes it (an int32,
 * 1 or more). Anything else is a 400 saying why, before Recommendations is asked.
 */
export const bookIdParams = {
  type: 'object',
  required: ['id'],
  properties: { id: { type: 'integer', minimum: 1, maximum: MAX_ID, description: 'The book’s catalog id' } },
} as const;

/** No book has the id; the error handler answers 404 with the message (a page, or JSON). */
export class BookNotFoundError extends Error {
  readonly statusCode = 404;

  constructor(bookId: number) {
    super(`There is no book with id ${bookId}.`);
    this.name = 'BookNotFoundError';
  }
}

/** A book and its also-viewed list (at most ALSO_VIEWED_MAX); throws BookNotFoundError. */
export async function readBookDetails(
  recommendations: RecommendationsClient,
  bookId: number,
  context: CallContext,
): Promise<CallOutcome<BookDetails>> {
  const outcome = await recommendations.getBook(bookId, context);
  if (!outcome.available) return outcome;
  if (outcome.value === undefined) throw new BookNotFoundError(bookId);
  const { book, alsoViewed } = outcome.value;
  return { available: true, value: { book, alsoViewed: alsoViewed.slice(0, ALSO_VIEWED_MAX) } };
}
