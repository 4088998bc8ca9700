import type { FastifyPluginAsync } from 'fastify';
import { CATEGORIES } from '../categories';
import type { PageRecorder } from '../observability/marketplace-metrics';
import { pageContext } from '../page-context';
import type { RecommendationsClient } from '../recommendations-client';

/** `GET /books`: the whole catalog, grouped by category, read from the ListBooks stream. */
export const booksRoutes: FastifyPluginAsync<{
  recommendations: RecommendationsClient;
  recordPage: PageRecorder;
}> = async (app, options) => {
  app.get(
    '/books',
    { schema: { querystring: { type: 'object', additionalProperties: false } } },
    async (request, reply) => {
      const outcome = await options.recommendations.listBooks(undefined, { requestId: request.id, log: request.log });
      const books = outcome.available ? outcome.value : [];
      const groups = CATEGORIES.map((category) => ({
        label: category.label,
        books: books.filter((b) => b.category === category.value),
      })).filter((group) => group.books.length > 0);
      const unavailable = !outcome.available;
      options.recordPage('books', unavailable);
      return reply.type('text/html; charset=utf-8').viewAsync('books.hbs', {
        ...pageContext({ title: 'All books', current: 'books' }),
        groups,
        unavailable,
      });
    },
  );
};
