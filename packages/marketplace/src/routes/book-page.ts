import type { FastifyPluginAsync } from 'fastify';
import { bookIdParams, readBookDetails } from '../catalog/book-details';
import { categoryByValue } from '../catalog/categories';
import type { PageRecorder } from '../observability/marketplace-metrics';
import { pageContext } from '../pages/page-context';
import type { ReaderEvents } from '../reader-events/reader-events';
import type { RecommendationsClient } from '../recommendations/client';
import { resolveReader } from '../http/user-identity';
import { RETRY_AFTER_S } from './api-answers';

/**
 * `GET /books/:id`: a book with "Readers who viewed this also viewed". A page shown (200) to a
 * person records a view for the reader of the `uid` cookie (a new reader gets one now, so even
 * the first view counts); the page never waits for it (reader-events/). Without Recommendations
 * there is no book to show: a 503 page in the layout, with Retry-After.
 */
export const bookPageRoutes: FastifyPluginAsync<{
  recommendations: RecommendationsClient;
  readerEvents: Pick<ReaderEvents, 'viewed'>;
  secureCookie: boolean;
  recordPage: PageRecorder;
}> = async (app, options) => {
  const querystring = { type: 'object', properties: {}, additionalProperties: false } as const;
  app.get<{ Params: { id: number } }>(
    '/books/:id',
    { schema: { params: bookIdParams, querystring } },
    async (request, reply) => {
      const outcome = await readBookDetails(options.recommendations, request.params.id, {
        requestId: request.id,
        log: request.log,
      });
      options.recordPage('book', !outcome.available);
      reply.type('text/html; charset=utf-8');
      if (!outcome.available) {
        return reply
          .code(503)
          .header('retry-after', String(RETRY_AFTER_S))
          .viewAsync('book.hbs', { ...pageContext({ title: 'Book unavailable' }), unavailable: true });
      }
      const { book, alsoViewed } = outcome.value;
      const userId = resolveReader(request, reply, { secureCookie: options.secureCookie });
      // HEAD (which fastify answers with this handler) is not a person reading the page.
      if (request.method === 'GET') options.readerEvents.viewed(userId, book.id);
      return reply.viewAsync('book.hbs', {
        ...pageContext({ title: book.title }),
        book,
        category: categoryByValue(book.category),
        alsoViewed,
      });
    },
  );
};
