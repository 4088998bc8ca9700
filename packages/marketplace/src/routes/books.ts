import type { FastifyPluginAsync } from 'fastify';
import { CATEGORIES } from '../categories';
import type { PageRecorder } from '../observability/marketplace-metrics';
import { pageContext } from '../page-context';
import { RecommendationsError, type RecommendationsClient } from '../recommendations-client';

/** `GET /books`: the whole catalog, grouped by category, read from the ListBooks stream. */
export const booksRoutes: FastifyPluginAsync<{
  recommendations: RecommendationsClient;
  recordPage: PageRecorder;
}> = async (app, options) => {
  app.get(
    '/books',
    { schema: { querystring: { type: 'object', additionalProperties: false } } },
    async (request, reply) => {
      let groups: { label: string; books: { title: string; author: string }[] }[] = [];
      let unavailable = false;
      try {
        const books = await options.recommendations.listBooks(undefined, request.id);
        groups = CATEGORIES.map((category) => ({
          label: category.label,
          books: books.filter((b) => b.category === category.value),
        })).filter((group) => group.books.length > 0);
      } catch (error) {
        if (!(error instanceof RecommendationsError)) throw error;
        request.log.warn({ grpcCode: error.codeName }, 'catalog unavailable; page rendered without it');
        unavailable = true;
      }
      options.recordPage('books', unavailable);
      return reply.type('text/html; charset=utf-8').viewAsync('books.hbs', {
        ...pageContext({ title: 'All books', current: 'books' }),
        groups,
        unavailable,
      });
    },
  );
};
