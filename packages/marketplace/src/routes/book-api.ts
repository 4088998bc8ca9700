import type { FastifyPluginAsync } from 'fastify';
import { readBookDetails } from '../catalog/book-details';
import { categorySlugOf } from '../catalog/categories';
import type { RecommendationsClient } from '../recommendations/client';
import { unavailable } from './api-answers';
import { bookSchema } from '../api/schemas';

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
