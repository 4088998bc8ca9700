import { BOOK_JSON_SCHEMA } from '../api/book-json-schema';
import type { FastifyPluginAsync } from 'fastify';
import {
  firstPageOf,
  MAX_API_PAGE_SIZE,
  PAGE_SIZE,
  pageLinks,
  pagingQuery,
  readBookPageFor,
} from '../catalog/book-pages';
import { CATEGORY_PARAMETER, CATEGORY_SLUGS, categoryBySlug, categorySlugOf } from '../catalog/categories';
import type { RecommendationsClient } from '../recommendations/client';
import { errorBody, unavailable } from './api-answers';
import { cookieUserId, USER_PARAMETER } from '../http/user-identity';

// Imported from here by older code and tests.
export { RETRY_AFTER_S } from './api-answers';

const recommendationsSchema = {
  tags: ['books'],
  summary: 'Books of one category you may like',
  description:
    'Random picks; for the reader of the `uid` cookie (the pages set it), personal picks, each with ' +
    'the book it is `becauseOf`, once they have viewed books. `user` is accepted for compatibility ' +
    'but never personalises: anyone can type any id, and personal picks show what a reader viewed.',
  querystring: {
    type: 'object',
    properties: {
      category: CATEGORY_PARAMETER,
      max: { type: 'integer', minimum: 1, maximum: 50, default: 3 },
      // Accepted as before; the call is for a user not seen before whatever it says (see above).
      user: USER_PARAMETER,
    },
    additionalProperties: false,
  },
  response: {
    200: {
      type: 'object',
      required: ['recommendations'],
      properties: {
        recommendations: {
          type: 'array',
          items: {
            type: 'object',
            required: ['id', 'title'],
            properties: {
              id: { type: 'integer' },
              title: { type: 'string' },
              becauseOf: {
                type: 'object',
                description: 'Only on a personal pick: the book the reader viewed that it was picked for',
                required: ['id', 'title'],
                properties: { id: { type: 'integer' }, title: { type: 'string' } },
              },
            },
          },
        },
      },
    },
    400: errorBody,
    503: errorBody,
  },
} as const;

const pageLink = {
  type: ['string', 'null'],
  description: 'Path and query of the adjacent page; null when there is none',
} as const;

const booksSchema = {
  tags: ['books'],
  summary: 'A page of the catalog, or of one category, in id order',
  description:
    `At most \`limit\` books (default ${PAGE_SIZE}). Follow \`next\` and \`previous\` to page; ` +
    '`after` and `before` cannot be combined. Each answer names its catalog in the `Catalog-Version` ' +
    'header; send it back as `catalogVersion` with `after` or `before` to be answered 409 when the ' +
    'catalog changed between pages.',
  querystring: {
    type: 'object',
    properties: {
      category: { type: 'string', enum: CATEGORY_SLUGS },
      limit: { type: 'integer', minimum: 1, maximum: MAX_API_PAGE_SIZE, default: PAGE_SIZE },
      ...pagingQuery,
    },
    additionalProperties: false,
  },
  response: {
    200: {
      type: 'object',
      required: ['books', 'next', 'previous'],
      properties: {
        next: pageLink,
        previous: pageLink,
        books: {
          type: 'array',
          items: BOOK_JSON_SCHEMA,
        },
      },
    },
    400: errorBody,
    409: errorBody,
    503: errorBody,
  },
} as const;

/**
 * The JSON API under `/api/v1`. Unlike the pages it does not degrade: when Recommendations fails
 * it answers 503 with Retry-After, because an API client wants an explicit failure.
 */
export const apiRoutes: FastifyPluginAsync<{ recommendations: RecommendationsClient }> = async (app, options) => {
  app.get<{ Querystring: { category: string; max: number; user?: number } }>(
    '/api/v1/recommendations',
    { schema: recommendationsSchema },
    async (request, reply) => {
      const { category, max } = request.query;
      // The cookie's reader, else an anonymous one (user 0: random picks, no store read), as
      // without `?user`: another reader's id would show what they viewed.
      const reader = cookieUserId(request);
      const userId = reader ?? 0;
      const outcome = await options.recommendations.recommend(
        { userId, category: categoryBySlug(category).value, maxResults: max },
        { requestId: request.id, log: request.log },
      );
      if (!outcome.available) return unavailable(reply);
      return {
        recommendations: outcome.value.map(({ id, title, becauseOfBookId, becauseOfTitle }) =>
          becauseOfBookId === 0 || reader === undefined
            ? { id, title }
            : { id, title, becauseOf: { id: becauseOfBookId, title: becauseOfTitle } },
        ),
      };
    },
  );

  app.get<{
    Querystring: { category?: string; limit: number; after?: number; before?: number; catalogVersion?: string };
  }>('/api/v1/books', { schema: booksSchema }, async (request, reply) => {
    const { category: slug, limit, after, before, catalogVersion } = request.query;
    const category = slug === undefined ? undefined : categoryBySlug(slug);
    const kept = { category: slug, limit: limit === PAGE_SIZE ? undefined : limit };
    const outcome = await readBookPageFor(
      reply,
      options.recommendations,
      { category: category?.value, after, before, size: limit, catalogVersion },
      { requestId: request.id, log: request.log },
      firstPageOf('/api/v1/books', kept),
    );
    if (!outcome.available) return unavailable(reply);
    const page = outcome.value;
    // v1's links, as its first release wrote them (no catalogVersion: a client opts in).
    const links = pageLinks('/api/v1/books', page, kept, { withVersion: false });
    return {
      // Every book of the page: one of a category unknown here answers as `other`, not dropped.
      books: page.books.map((book) => ({
        id: book.id,
        title: book.title,
        author: book.author,
        category: categorySlugOf(book.category),
      })),
      next: links.next ?? null,
      previous: links.previous ?? null,
    };
  });
};
