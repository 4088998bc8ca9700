import type { FastifyPluginAsync } from 'fastify';
import { pageLinks, pagingQuery, readBookPageFor } from '../catalog/book-pages';
import { CATEGORIES, OTHER_CATEGORY } from '../catalog/categories';
import type { PageRecorder } from '../observability/marketplace-metrics';
import { pageContext } from '../pages/page-context';
import type { RecommendationsClient } from '../recommendations/client';

/**
 * `GET /books`: the catalog a page (50 books) at a time in id order, grouped by category, read
 * from the ListBooks stream; `?after=<id>` and `?before=<id>` are the next and previous pages.
 * Books of a category this build does not know are listed last, under "Other".
 */
export const booksRoutes: FastifyPluginAsync<{
  recommendations: RecommendationsClient;
  recordPage: PageRecorder;
}> = async (app, options) => {
  app.get<{ Querystring: { after?: number; before?: number; catalogVersion?: string } }>(
    '/books',
    { schema: { querystring: { type: 'object', properties: pagingQuery, additionalProperties: false } } },
    async (request, reply) => {
      const outcome = await readBookPageFor(reply, options.recommendations, request.query, {
        requestId: request.id,
        log: request.log,
      });
      const page = outcome.available ? outcome.value : undefined;
      const books = page?.books ?? [];
      const known = new Set(CATEGORIES.map((category) => category.value));
      const groups = [
        ...CATEGORIES.map((category) => ({
          label: category.label,
          books: books.filter((b) => b.category === category.value),
        })),
        { label: OTHER_CATEGORY.label, books: books.filter((b) => !known.has(b.category)) },
      ].filter((group) => group.books.length > 0);
      const links: { next?: string; previous?: string } = page === undefined ? {} : pageLinks('/books', page);
      const unavailable = !outcome.available;
      options.recordPage('books', unavailable);
      return reply.type('text/html; charset=utf-8').viewAsync('books.hbs', {
        ...pageContext({ title: 'All books', current: 'books' }),
        groups,
        unavailable,
        ...links,
        paged: links.next !== undefined || links.previous !== undefined,
      });
    },
  );
};
