import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomInt } from 'node:crypto';

export const USER_COOKIE = 'uid';
const MAX_USER_ID = 2147483647;
const ONE_YEAR_S = 365 * 24 * 60 * 60;

function parseUserId(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,10}$/.test(value)) return undefined;
  const id = Number(value);
  return id >= 1 && id <= MAX_USER_ID ? id : undefined;
}

/**
 * The `uid` value from a Cookie header. One cookie of digits needs no cookie library (and
 * @fastify/cookie loads its parser with a dynamic ESM import, which jest on Node 20 cannot run).
 */
export function userCookieFrom(header: string | undefined): string | undefined {
  for (const pair of (header ?? '').split(';')) {
    const [name, ...value] = pair.trim().split('=');
    if (name === USER_COOKIE) return value.join('=');
  }
  return undefined;
}

/**
 * The user a page is for: `?user=<id>` when given, else the `uid` cookie, else a new random id
 * stored in that cookie (HttpOnly, SameSite=Lax, a year) so the next visit is the same user.
 */
export function resolveUserId(
  request: FastifyRequest,
  reply: FastifyReply,
  options: { secureCookie: boolean },
): number {
  const fromQuery = (request.query as { user?: number }).user;
  if (fromQuery !== undefined) return fromQuery;
  const fromCookie = parseUserId(userCookieFrom(request.headers.cookie));
  if (fromCookie !== undefined) return fromCookie;
  const id = randomInt(1, MAX_USER_ID);
  const attributes = [`${USER_COOKIE}=${id}`, 'Path=/', `Max-Age=${ONE_YEAR_S}`, 'HttpOnly', 'SameSite=Lax'];
  if (options.secureCookie) attributes.push('Secure');
  reply.header('set-cookie', attributes.join('; '));
  return id;
}
