import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { MAX_API_PAGE_SIZE, PAGE_SIZE, pageLinks, pagingQuery, readBookPage } from '../book-pages';
import { CATEGORY_PARAMETER, CATEGORY_SLUGS, categoryBySlug, categoryByValue } from '../categories';
import type { RecommendationsClient } from '../recommendations-client';
import { newUserId, USER_PARAMETER } from '../user-identity';

/** Seconds a client should wait before retrying when Recommendations is unavailable. */
export const RETRY_AFTER_S = 5;

const errorBody = {
  type: 'object',
  required: ['statusCode', 'error', 'message'],
  properties: { statusCode: { type: 'integer' }, error: { type: 'string' }, message: { type: 'string' } },
} as const;

const recommendationsSchema = {
  tags: ['books'],
  summary: 'Random books of one category',
  querystring: {
    type: 'object',
    properties: {
      category: CATEGORY_PARAMETER,
      max: { type: 'integer', minimum: 1, maximum: 50, default: 3 },
      // Without it, the call is for a user not seen before, as on a first visit to the pages.
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
            properties: { id: { type: 'integer' }, title: { type: 'string' } },
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
    '`after` and `before` cannot be combined.',
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
          items: {
            type: 'object',
            required: ['id', 'title', 'author', 'category'],
            properties: {
              id: { type: 'integer' },
              title: { type: 'string' },
              author: { type: 'string' },
              category: { type: 'string', enum: CATEGORY_SLUGS },
            },
          },
        },
      },
    },
    400: errorBody,
    503: errorBody,
  },
} as const;

/** 503 with Retry-After: Recommendations is unavailable (the client has logged why). */
function unavailable(reply: FastifyReply) {
  return reply
    .code(503)
    .header('retry-after', String(RETRY_AFTER_S))
    .send({ statusCode: 503, error: 'Service Unavailable', message: 'Recommendations are unavailable; retry later.' });
}

/**
 * The JSON API under `/api/v1`. Unlike the pages it does not degrade: when Recommendations fails
 * it answers 503 with Retry-After, because an API client wants an explicit failure.
 */
export const apiRoutes: FastifyPluginAsync<{ recommendations: RecommendationsClient }> = async (app, options) => {
  app.get<{ Querystring: { category: string; max: number; user?: number } }>(
    '/api/v1/recommendations',
    { schema: recommendationsSchema },
    async (request, reply) => {
      const { category, max, user } = request.query;
      const outcome = await options.recommendations.recommend(
        { userId: user ?? newUserId(), category: categoryBySlug(category).value, maxResults: max },
        { requestId: request.id, log: request.log },
      );
      if (!outcome.available) return unavailable(reply);
      return { recommendations: outcome.value.map(({ id, title }) => ({ id, title })) };
    },
  );

  app.get<{ Querystring: { category?: string; limit: number; after?: number; before?: number } }>(
    '/api/v1/books',
    { schema: booksSchema },
    async (request, reply) => {
      const { category: slug, limit, after, before } = request.query;
      const category = slug === undefined ? undefined : categoryBySlug(slug);
      const outcome = await readBookPage(
        options.recommendations,
        { category: category?.value, after, before, size: limit },
        { requestId: request.id, log: request.log },
      );
      if (!outcome.available) return unavailable(reply);
      const page = outcome.value;
      const links = pageLinks('/api/v1/books', page, {
        category: slug,
        limit: limit === PAGE_SIZE ? undefined : limit,
      });
      return {
        books: page.books.flatMap((book) => {
          const bookSlug = categoryByValue(book.category)?.slug;
          return bookSlug === undefined
            ? []
            : [{ id: book.id, title: book.title, author: book.author, category: bookSlug }];
        }),
        next: links.next ?? null,
        previous: links.previous ?? null,
      };
    },
  );
};
