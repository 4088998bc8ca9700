import type { FastifyPluginAsync } from 'fastify';
import { firstPageOf, PAGE_SIZE, pageLinks, readBookPageFor } from '../catalog/book-pages';
import { categoryBySlug, categorySlugOf } from '../catalog/categories';
import type { RecommendationsClient } from '../recommendations/client';
import { unavailable } from './api-answers';
import { booksSchema, recommendationsSchema } from '../api/schemas';
import { cookieUserId } from '../http/user-identity';

// Imported from here by older code and tests.
export { RETRY_AFTER_S } from './api-answers';

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
