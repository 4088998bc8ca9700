import type { FastifyPluginAsync, FastifyReply } from 'fastify';
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

const booksSchema = {
  tags: ['books'],
  summary: 'The catalog, or one category of it, in id order',
  querystring: {
    type: 'object',
    properties: { category: { type: 'string', enum: CATEGORY_SLUGS } },
    additionalProperties: false,
  },
  response: {
    200: {
      type: 'object',
      required: ['books'],
      properties: {
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

  app.get<{ Querystring: { category?: string } }>('/api/v1/books', { schema: booksSchema }, async (request, reply) => {
    const slug = request.query.category;
    const outcome = await options.recommendations.listBooks(
      slug === undefined ? undefined : categoryBySlug(slug).value,
      {
        requestId: request.id,
        log: request.log,
      },
    );
    if (!outcome.available) return unavailable(reply);
    return {
      books: outcome.value.flatMap((book) => {
        const bookSlug = categoryByValue(book.category)?.slug;
        return bookSlug === undefined
          ? []
          : [{ id: book.id, title: book.title, author: book.author, category: bookSlug }];
      }),
    };
  });
};
