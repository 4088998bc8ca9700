import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomInt } from 'node:crypto';

export const USER_COOKIE = 'uid';
/** The one rule for a user id, everywhere in the Marketplace: 1 to the largest int32. */
export const MIN_USER_ID = 1;
export const MAX_USER_ID = 2147483647;
/** The `user` query parameter (pages and API), the same rule as a JSON schema. */
export const USER_PARAMETER = { type: 'integer', minimum: MIN_USER_ID, maximum: MAX_USER_ID } as const;
const ONE_YEAR_S = 365 * 24 * 60 * 60;

function parseUserId(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,10}$/.test(value)) return undefined;
  const id = Number(value);
  return id >= MIN_USER_ID && id <= MAX_USER_ID ? id : undefined;
}

/**
 * The `uid` value from a Cookie header. One cookie of digits needs no cookie library (and
 * @fastify/cookie loads its parser with a dynamic ESM import, which jest cannot run without
 * --experimental-vm-modules).
 */
export function userCookieFrom(header: string | undefined): string | undefined {
  for (const pair of (header ?? '').split(';')) {
    const [name, ...value] = pair.trim().split('=');
    if (name === USER_COOKIE) return value.join('=');
  }
  return undefined;
}

/** The reader the `uid` cookie names, when it holds a valid id. */
export function cookieUserId(request: FastifyRequest): number | undefined {
  return parseUserId(userCookieFrom(request.headers.cookie));
}

/**
 * The reader a page is for: the `uid` cookie, else a new random id stored in that cookie
 * (HttpOnly, SameSite=Lax, a year) so the next visit is the same reader. Only this identity
 * records views and gets personal picks: a `?user=<id>` anyone can type is never one.
 */
export function resolveReader(
  request: FastifyRequest,
  reply: FastifyReply,
  options: { secureCookie: boolean },
): number {
  const fromCookie = cookieUserId(request);
  if (fromCookie !== undefined) return fromCookie;
  const id = newUserId();
  const attributes = [`${USER_COOKIE}=${id}`, 'Path=/', `Max-Age=${ONE_YEAR_S}`, 'HttpOnly', 'SameSite=Lax'];
  if (options.secureCookie) attributes.push('Secure');
  reply.header('set-cookie', attributes.join('; '));
  return id;
}

/** An id for a user not seen before: random, within the rule. */
export function newUserId(): number {
  return randomInt(MIN_USER_ID, MAX_USER_ID + 1);
}
