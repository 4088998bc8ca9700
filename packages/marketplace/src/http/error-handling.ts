import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import { pageContext } from '../pages/page-context';
import { describeValidationErrors } from './validation-messages';

const isApi = (request: FastifyRequest) => request.url.startsWith('/api/');

function headingFor(statusCode: number): string {
  if (statusCode === 400) return 'That request is not valid';
  if (statusCode === 404) return 'Page not found';
  if (statusCode === 409) return 'The catalog has changed';
  if (statusCode === 429) return 'Too many requests';
  return statusCode >= 500 ? 'Something went wrong' : 'That request could not be served';
}

function send(request: FastifyRequest, reply: FastifyReply, statusCode: number, message: string, problems: string[]) {
  reply.code(statusCode);
  if (isApi(request)) {
    const detail = problems.length > 0 ? problems.join('; ') : message;
    return reply.send({ statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message: detail });
  }
  const heading = headingFor(statusCode);
  return reply
    .type('text/html; charset=utf-8')
    .viewAsync('error.hbs', { ...pageContext({ title: heading }), heading, message, problems, statusCode });
}

/**
 * One error handler for the whole app: 4xx say what was wrong (a page, or JSON under /api/);
 * 5xx are generic, and the error is logged once with its stack. Unknown paths get a 404 in the
 * same layout.
 */
export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    let statusCode = error.validation ? 400 : error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    // @fastify/static answers a path that tries to leave its folder with 403; say 404, as for any
    // missing file, so a probe learns nothing about what exists outside it.
    if (statusCode === 403 && request.url.startsWith('/static/')) statusCode = 404;
    if (statusCode >= 500) {
      request.log.error({ err: error }, 'request failed');
      return send(request, reply, statusCode, 'The page could not be shown. Please try again in a moment.', []);
    }
    const problems = error.validation ? describeValidationErrors(error.validation) : [];
    return send(request, reply, statusCode, error.validation ? '' : error.message, problems);
  });

  app.setNotFoundHandler(async (request, reply) =>
    send(request, reply, 404, `There is no page at ${request.url.split('?')[0]}.`, []),
  );
}
