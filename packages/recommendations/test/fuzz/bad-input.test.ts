import { BookCategory, RECOMMENDATION_SERVICE_NAME } from '@bookstore/contracts';
import { status as Status } from '@grpc/grpc-js';
import fc from 'fast-check';
import { recommend } from '../support/calls';
import { createHealthClient } from '@bookstore/test-support';
import { createRawClient } from '../support/raw-client';
import { withTestServer } from '../support/with-test-server';

const SERVICE = `/${RECOMMENDATION_SERVICE_NAME}`;
const RUNS = 10_000;
const UNSPECIFIED: number = BookCategory.BOOK_CATEGORY_UNSPECIFIED;
/** The categories with books; the test server's catalog has 6 of each. */
const KNOWN: number[] = [
  BookCategory.BOOK_CATEGORY_MYSTERY,
  BookCategory.BOOK_CATEGORY_SCIENCE_FICTION,
  BookCategory.BOOK_CATEGORY_SELF_HELP,
];
const PER_CATEGORY = 6;

describe('bad input to Recommendations (real server, raw bytes)', () => {
  const t = withTestServer({ env: { LOG_LEVEL: 'silent' } });
  let raw: ReturnType<typeof createRawClient>;
  beforeAll(async () => {
    raw = createRawClient(t.server.address);
  });
  afterAll(() => raw.close());

  it.each(['Recommend', 'ListBooks'])(
    `ends every one of ${RUNS} random byte strings sent to %s with a status`,
    async (method) => {
      const seen = new Map<string, number>();
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 256 }), async (bytes) => {
          const path = `${SERVICE}/${method}`;
          const { error } =
            method === 'Recommend'
              ? await raw.unary(path, Buffer.from(bytes))
              : await raw.serverStream(path, Buffer.from(bytes));
          const code = error ? Status[error.code] : 'OK';
          seen.set(code ?? String(error?.code), (seen.get(code ?? '') ?? 0) + 1);
          // Unparseable → INTERNAL (grpc-js: could not parse); parseable but wrong → INVALID_ARGUMENT or
          // NOT_FOUND; a valid request → OK. Never UNKNOWN, never a hang (the call has a 5 s deadline).
          return (
            ['OK', 'INVALID_ARGUMENT', 'NOT_FOUND', 'INTERNAL'].includes(code ?? '') &&
            (code !== 'INTERNAL' || /deserializ|parse/i.test(error?.details ?? ''))
          );
        }),
        { numRuns: RUNS },
      );
      expect([...seen.keys()]).toEqual(
        expect.arrayContaining([method === 'Recommend' ? 'INVALID_ARGUMENT' : 'OK', 'INTERNAL']),
      );
      const health = createHealthClient(t.server.address);
      expect(await health.check('readiness')).toBe('SERVING');
      health.close();
    },
  );

  it('answers any int32 user, category and maximum with a result or a documented status', async () => {
    const int32 = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });
    await fc.assert(
      fc.asyncProperty(
        int32,
        fc.oneof(fc.constantFrom(UNSPECIFIED, ...KNOWN), int32),
        int32,
        async (userId, category, maxResults) => {
          const request = { userId, category: category as BookCategory, maxResults };
          try {
            const response = await recommend(t.server.client, request);
            const expected = maxResults === 0 ? 3 : Math.min(maxResults, PER_CATEGORY);
            return (
              userId >= 0 && maxResults >= 0 && KNOWN.includes(category) && response.recommendations.length === expected
            );
          } catch (error) {
            const { code } = error as { code: Status };
            if (userId < 0 || maxResults < 0 || category === UNSPECIFIED) return code === Status.INVALID_ARGUMENT;
            return code === Status.NOT_FOUND && !KNOWN.includes(category);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('answers an unknown method with UNIMPLEMENTED', async () => {
    const { error } = await raw.unary(`${SERVICE}/Purchase`, Buffer.alloc(0));
    expect(error?.code).toBe(Status.UNIMPLEMENTED);
    const other = await raw.unary('/bookstore.orders.v1.OrderService/Get', Buffer.alloc(0));
    expect(other.error?.code).toBe(Status.UNIMPLEMENTED);
  });
});
