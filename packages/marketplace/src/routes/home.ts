import type { FastifyPluginAsync } from 'fastify';
import { CATEGORY_SLUGS, categoryBySlug, DEFAULT_CATEGORY } from '../categories';
import type { PageRecorder } from '../observability/marketplace-metrics';
import { pageContext } from '../page-context';
import { RecommendationsError, type RecommendationsClient } from '../recommendations-client';
import { resolveUserId } from '../user-identity';

const querystring = {
  type: 'object',
  properties: {
    category: { type: 'string', enum: CATEGORY_SLUGS },
    user: { type: 'integer', minimum: 0, maximum: 2147483647 },
  },
  additionalProperties: false,
} as const;

interface HomeQuery {
  category?: string;
  user?: number;
}

/** How many books the homepage shows, as in the tutorial. */
export const HOMEPAGE_BOOKS = 3;

/** `GET /`: recommendations for one category; without them when Recommendations fails. */
export const homeRoutes: FastifyPluginAsync<{
  recommendations: RecommendationsClient;
  secureCookie: boolean;
  recordPage: PageRecorder;
}> = async (app, options) => {
  app.get<{ Querystring: HomeQuery }>('/', { schema: { querystring } }, async (request, reply) => {
    const category = categoryBySlug(request.query.category) ?? DEFAULT_CATEGORY;
    const userId = resolveUserId(request, reply, { secureCookie: options.secureCookie });
    let books: { id: number; title: string }[] = [];
    let unavailable = false;
    try {
      books = await options.recommendations.recommend(
        { userId, category: category.value, maxResults: HOMEPAGE_BOOKS },
        request.id,
      );
    } catch (error) {
      if (!(error instanceof RecommendationsError)) throw error;
      request.log.warn({ grpcCode: error.codeName }, 'recommendations unavailable; page rendered without them');
      unavailable = true;
    }
    options.recordPage('home', unavailable);
    return reply.type('text/html; charset=utf-8').viewAsync('home.hbs', {
      ...pageContext({ current: category }),
      heading: `${category.label} books you may like`,
      books,
      unavailable,
    });
  });
};
