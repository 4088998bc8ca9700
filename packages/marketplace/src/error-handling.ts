import type { FastifyError, FastifyInstance } from 'fastify';
import { pageContext } from './page-context';
import { describeValidationErrors } from './validation-messages';

/**
 * One error handler for the whole app: 4xx pages say what was wrong; 5xx pages are generic and
 * the error is logged once with its stack. Unknown paths get a 404 page in the same layout.
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    const statusCode = error.validation ? 400 : (error.statusCode ?? 500);
    if (statusCode >= 500) {
      request.log.error({ err: error }, 'request failed');
    }
    const problems = error.validation ? describeValidationErrors(error.validation) : [];
    const page =
      statusCode >= 500
        ? { heading: 'Something went wrong', message: 'The page could not be shown. Please try again in a moment.' }
        : {
            heading: statusCode === 400 ? 'That request is not valid' : 'That request could not be served',
            message: error.validation ? '' : error.message,
          };
    return reply
      .code(statusCode)
      .type('text/html; charset=utf-8')
      .viewAsync('error.hbs', { ...pageContext({ title: page.heading }), ...page, problems, statusCode });
  });

  app.setNotFoundHandler(async (request, reply) =>
    reply
      .code(404)
      .type('text/html; charset=utf-8')
      .viewAsync('error.hbs', {
        ...pageContext({ title: 'Page not found' }),
        heading: 'Page not found',
        message: `There is no page at ${request.url.split('?')[0]}.`,
        problems: [],
        statusCode: 404,
      }),
  );
}
