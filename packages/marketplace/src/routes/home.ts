import type { FastifyPluginAsync } from 'fastify';
import { CATEGORY_PARAMETER, categoryBySlug } from '../catalog/categories';
import type { PageRecorder } from '../observability/marketplace-metrics';
import { pageContext } from '../pages/page-context';
import type { RecommendationsClient } from '../recommendations/client';
import { groupRecommendations } from '../pages/recommendation-groups';
import { cookieUserId, resolveReader, USER_PARAMETER } from '../http/user-identity';

const querystring = {
  type: 'object',
  properties: { category: CATEGORY_PARAMETER, user: USER_PARAMETER },
  additionalProperties: false,
} as const;

interface HomeQuery {
  /** Always present: the schema applies the default category. */
  category: string;
  user?: number;
}

/** How many books the homepage shows, as in the tutorial. */
export const HOMEPAGE_BOOKS = 3;

/**
 * `GET /`: recommendations for one category, personal ("Because you viewed «title»") for the
 * reader of the `uid` cookie once they have viewed books; without them when Recommendations is
 * unavailable.
 */
export const homeRoutes: FastifyPluginAsync<{
  recommendations: RecommendationsClient;
  secureCookie: boolean;
  recordPage: PageRecorder;
}> = async (app, options) => {
  app.get<{ Querystring: HomeQuery }>('/', { schema: { querystring } }, async (request, reply) => {
    const category = categoryBySlug(request.query.category);
    // `?user=<id>` is still accepted, but anyone can type any id and personal picks show what a
    // reader viewed: it is served the picks of a reader with no history (a new random id), as
    // every reader was before picks were personal. Only the cookie's reader gets their own; a
    // random id that happened to be someone's would still show no "Because you viewed" title.
    const returning = request.query.user === undefined && cookieUserId(request) !== undefined;
    const userId =
      request.query.user === undefined ? resolveReader(request, reply, { secureCookie: options.secureCookie }) : 0; // anonymous: `?user` is accepted but never personalises (another reader's picks)
    const outcome = await options.recommendations.recommend(
      { userId, category: category.value, maxResults: HOMEPAGE_BOOKS },
      { requestId: request.id, log: request.log },
    );
    options.recordPage('home', !outcome.available);
    return reply.type('text/html; charset=utf-8').viewAsync('home.hbs', {
      ...pageContext({ current: category }),
      heading: `${category.label} books you may like`,
      ...groupRecommendations(outcome.available ? outcome.value : [], { personal: returning }),
      unavailable: !outcome.available,
    });
  });
};
