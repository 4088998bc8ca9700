import { REQUEST_ID_HEADER } from '@bookstore/service-kit';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { securityHeaderPairs } from './security-headers';

/** Status for what Node's parser rejected: headers too large, too slow, or anything malformed. */
function statusFor(code: string | undefined): number {
  if (code === 'HPE_HEADER_OVERFLOW') return 431;
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return 408;
  return 400;
}

/**
 * Answers for requests fastify never sees, with the security headers every response carries:
 *
 * - `clientErrorHandler`: Node's parser rejected the request (431 headers over 16 KiB, 408 the
 *   headers or request timeout, 400 anything malformed); written raw, then the socket closed.
 * - `frameworkErrors`: fastify's router rejected the URL (a malformed percent-escape).
 */
export function createMalformedRequestAnswers() {
  const pairs = securityHeaderPairs();
  const headerLines = pairs.map(([name, value]) => `${name}: ${value}\r\n`).join('');

  function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    // Not while an earlier pipelined response is still going out on this socket: the raw bytes
    // would land inside its body (Node's own handler makes the same check).
    const answering = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (socket.writable && answering?.headersSent !== true) {
      const status = statusFor(error.code);
      const body = `${STATUS_CODES[status] ?? 'Bad Request'}\n`;
      socket.write(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${headerLines}content-type: text/plain; charset=utf-8\r\n` +
          `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy();
  }

  function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
    for (const [name, value] of pairs) reply.header(name, value);
    void reply
      .code(400)
      .header(REQUEST_ID_HEADER, request.id)
      .type('text/plain; charset=utf-8')
      .send(error.code === 'FST_ERR_BAD_URL' ? 'Bad Request: malformed URL\n' : 'Bad Request\n');
  }

  return { clientErrorHandler, frameworkErrors };
}
