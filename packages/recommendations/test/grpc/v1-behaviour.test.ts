import { BookCategory, RECOMMENDATION_SERVICE_NAME, type RecommendRequest } from '@bookstore/contracts';
import { status as Status } from '@grpc/grpc-js';
import { listBooks, recommend, rejectionOf } from '../support/calls';
import { createMemoryStore } from '../support/memory-store';
import { createRawClient, paddedRecommendRequest } from '../support/raw-client';
import { withTestServer } from '../support/with-test-server';

/**
 * v1 never rejects, nor answers with another code, a request it once accepted (proto/: rules that
 * narrow belong in a v2 package). The rows are the first release's (commit 051e4e4, its README's
 * API table and its tests): what a request got then is what it must get now. A row failing here
 * means a change broke clients that worked; change the code, not the row.
 */
const { BOOK_CATEGORY_UNSPECIFIED: UNSPECIFIED, BOOK_CATEGORY_MYSTERY: MYSTERY } = BookCategory;
const { BOOK_CATEGORY_SCIENCE_FICTION: SCI_FI, BOOK_CATEGORY_SELF_HELP: SELF_HELP } = BookCategory;
const INT32_MAX = 2 ** 31 - 1;

/** [what the first release said of it, the request, the code it got, books answered when OK]. */
const RECOMMEND: Array<[string, Partial<RecommendRequest>, Status, number?]> = [
  ['user_id unset (0): anonymous', { category: MYSTERY, maxResults: 1 }, Status.OK, 1],
  ['user_id and max_results unset: the default 3', { category: MYSTERY }, Status.OK, 3],
  ['user_id 0 set explicitly', { userId: 0, category: SELF_HELP, maxResults: 2 }, Status.OK, 2],
  ['a known user', { userId: 1, category: SELF_HELP, maxResults: 3 }, Status.OK, 3],
  ['the largest user id', { userId: INT32_MAX, category: SCI_FI, maxResults: 1 }, Status.OK, 1],
  ['max_results 0: the default 3', { userId: 1, category: MYSTERY, maxResults: 0 }, Status.OK, 3],
  ['max_results above the category: all of it', { userId: 1, category: MYSTERY, maxResults: INT32_MAX }, Status.OK, 6],
  ['an empty request: no category', {}, Status.INVALID_ARGUMENT],
  ['category UNSPECIFIED', { userId: 1, category: UNSPECIFIED, maxResults: 1 }, Status.INVALID_ARGUMENT],
  ['max_results < 0', { userId: 1, category: MYSTERY, maxResults: -1 }, Status.INVALID_ARGUMENT],
  ['user_id < 0', { userId: -7, category: MYSTERY, maxResults: 1 }, Status.INVALID_ARGUMENT],
  ['the smallest user id', { userId: -(2 ** 31), category: MYSTERY, maxResults: 1 }, Status.INVALID_ARGUMENT],
  ['a category number with no books', { userId: 1, category: 99 as BookCategory, maxResults: 1 }, Status.NOT_FOUND],
];

const LIST_BOOKS: Array<[string, { category?: BookCategory }, Status, number?]> = [
  ['an empty request: every book', {}, Status.OK, 18],
  ['one category', { category: MYSTERY }, Status.OK, 6],
  ['a category number with no books', { category: 77 as BookCategory }, Status.NOT_FOUND],
];

/**
 * Every row with four cells (jest reads a test function with more parameters than cells as
 * taking `done`), the code by name so titles and failures say OK, not 0.
 */
const rows = <T>(table: Array<[string, T, Status, number?]>): Array<[string, T, string, number | undefined]> =>
  table.map(([what, request, code, books]) => [what, request, Status[code], books]);

async function codeOf<T>(call: Promise<T>): Promise<{ code: Status; answer?: T }> {
  try {
    return { code: Status.OK, answer: await call };
  } catch {
    return { code: (await rejectionOf(call)).code };
  }
}

describe('v1 answers what the first release answered', () => {
  // Wired as main.ts wires it: with an event store, so personalisation is on.
  const t = withTestServer({ store: createMemoryStore, env: { LOG_LEVEL: 'silent' } });

  it.each(rows(RECOMMEND))('Recommend, %s: %o → %s', async (_, request, code, books) => {
    const { code: got, answer } = await codeOf(
      recommend(t.server.client, { userId: 0, category: UNSPECIFIED, maxResults: 0, ...request }),
    );
    expect(Status[got]).toBe(code);
    if (books !== undefined) expect(answer?.recommendations).toHaveLength(books);
  });

  it.each(rows(LIST_BOOKS))('ListBooks, %s: %o → %s', async (_, request, code, books) => {
    const { code: got, answer } = await codeOf(listBooks(t.server.client, request));
    expect(Status[got]).toBe(code);
    if (books !== undefined) expect(answer).toHaveLength(books);
  });

  it('Recommend with a field it does not know (a newer client): answered, the field ignored', async () => {
    const raw = createRawClient(t.server.address);
    try {
      const { error } = await raw.unary(`/${RECOMMENDATION_SERVICE_NAME}/Recommend`, paddedRecommendRequest(16));
      expect(error).toBeNull();
    } finally {
      raw.close();
    }
  });
});
