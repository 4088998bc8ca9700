import type { FastifyPluginAsync } from 'fastify';
import { ALSO_VIEWED_MAX, bookIdParams, readBookDetails } from '../catalog/book-details';
import { categorySlugOf } from '../catalog/categories';
import type { RecommendationsClient } from '../recommendations/client';
import { errorBody, unavailable } from './api-answers';
import { BOOK_JSON_SCHEMA } from '../api/book-json-schema';

const bookSchema = {
  tags: ['books'],
  summary: 'One book, and what the readers who viewed it also viewed',
  description:
    `\`alsoViewed\`: up to ${ALSO_VIEWED_MAX} books, most often viewed by the readers of this one first; ` +
    'empty until readers have viewed it beside others. 404 for an id no book has.',
  params: bookIdParams,
  response: {
    200: {
      type: 'object',
      required: ['book', 'alsoViewed'],
      properties: {
        book: BOOK_JSON_SCHEMA,
        alsoViewed: {
          type: 'array',
          maxItems: ALSO_VIEWED_MAX,
          items: {
            type: 'object',
            required: ['id', 'title'],
            properties: { id: { type: 'integer' }, title: { type: 'string' } },
          },
        },
      },
    },
    400: errorBody,
    404: errorBody,
    503: errorBody,
  },
} as const;

/**
 * `GET /api/v1/books/:id`, the JSON twin of the book page. It records no view: an API client is
 * not a reader with a `uid` cookie, and a view is what personalises a reader's homepage.
 */
export const bookApiRoutes: FastifyPluginAsync<{ recommendations: RecommendationsClient }> = async (app, options) => {
  app.get<{ Params: { id: number } }>('/api/v1/books/:id', { schema: bookSchema }, async (request, reply) => {
    const outcome = await readBookDetails(options.recommendations, request.params.id, {
      requestId: request.id,
      log: request.log,
    });
    if (!outcome.available) return unavailable(reply);
    const { book, alsoViewed } = outcome.value;
    return {
      book: { id: book.id, title: book.title, author: book.author, category: categorySlugOf(book.category) },
      alsoViewed: alsoViewed.map(({ id, title }) => ({ id, title })),
    };
  });
};
