import type { EnvReader } from '@bookstore/service-kit';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Counter } from 'prom-client';

/**
 * Per-address budgets of page and API requests, on by default (issue 25). The numbers come from
 * one process on the 2-core test machine, a 10,000-book catalog, `wrk -t1 -c16 -d8s`: 1,107
 * homepages/s, 648 `/books` pages/s, 359 `/api/v1/books?limit=100` pages/s (each of those a
 * 101-message ListBooks stream: 36,000 messages/s from Recommendations).
 *
 * - **`max` 200 per 10 s** (20/s) for pages and API: about 2 % of a process's homepage
 *   throughput per address. Static assets and probes are not counted, so a person costs a
 *   request every few seconds; 200 is a NAT office of ~100 readers each opening a page every 5 s.
 * - **`bookListsMax` 30 per 10 s** (3/s), a budget of its own, for `/books` and `/api/v1/books`:
 *   about 1 % of what a process serves of the 101-message API page, 300 ListBooks messages/s per
 *   address. Nobody paging through the catalog by hand clicks three times a second for 10 s.
 * - **`windowMs` 10 s**: the window is fixed, so an address may spend its budget at once; 10 s
 *   keeps that burst to 200 requests (~0.2 s of one process) where 60 s would allow 1,200.
 *
 * Clients are told apart by `request.ip`, the peer address unless TRUST_PROXY names proxies: a
 * forged `X-Forwarded-For` changes nothing by default (docs/operations.md).
 */
export interface RateLimits {
  /** Page and API requests per address per window; 0 turns rate limiting off altogether. */
  readonly max: number;
  /** Requests for a page of the catalog per address per window, apart from `max`. */
  readonly bookListsMax: number;
  readonly windowMs: number;
}

export function readRateLimits(read: EnvReader): RateLimits {
  return {
    max: read.integer('RATE_LIMIT_MAX', 200, { min: 0, max: 1_000_000 }),
    bookListsMax: read.integer('RATE_LIMIT_BOOK_LISTS_MAX', 30, { min: 1, max: 1_000_000 }),
    windowMs: read.integer('RATE_LIMIT_WINDOW_MS', 10_000, { min: 1000, max: 86_400_000 }),
  };
}

/** The routes that read a page of the catalog from a ListBooks stream. */
const BOOK_LISTS = new Set(['/books', '/api/v1/books']);
/** Never limited: probes, and assets a page pulls in (cheap, served from this process alone). */
const EXEMPT = new Set(['/healthz', '/readyz']);
const EXEMPT_PREFIXES = ['/static/', '/docs/static/'];

const isBookList = (request: FastifyRequest) => BOOK_LISTS.has(request.routeOptions.url ?? '');

/**
 * The budget's key: an IPv4 address, or the /64 of an IPv6 one (a host usually has a whole /64,
 * as the plugin's default key assumes; that key cannot take a second budget apart).
 */
export function addressKey(ip: string): string {
  if (!ip.includes(':') || ip.includes('.')) return ip.replace(/^::ffff:/i, '');
  const [head = '', tail] = ip.split('%')[0]!.split('::');
  const front = head === '' ? [] : head.split(':');
  const back = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups =
    tail === undefined ? front : [...front, ...Array<string>(8 - front.length - back.length).fill('0'), ...back];
  return `${groups
    .slice(0, 4)
    .map((group) => parseInt(group, 16).toString(16))
    .join(':')}::/64`;
}

/**
 * Registers the limiter: routes registered after it are limited (so call it before them). An
 * address past its budget is answered 429 with `Retry-After`; each such answer is counted in
 * `limited` (by budget: `pages`, `book_lists`) and gets no access-log line (access-log.ts).
 */
export async function registerRateLimit(
  app: FastifyInstance,
  options: { limits: RateLimits; limited?: Counter<'budget'> },
): Promise<void> {
  const { max, bookListsMax, windowMs } = options.limits;
  if (max <= 0) return;
  for (const budget of ['pages', 'book_lists']) options.limited?.inc({ budget }, 0);
  await app.register(rateLimit, {
    timeWindow: windowMs,
    max: (request) => (isBookList(request) ? bookListsMax : max),
    keyGenerator: (request) => `${addressKey(request.ip)}${isBookList(request) ? ' book-lists' : ''}`,
    allowList: (request) => EXEMPT.has(request.url) || EXEMPT_PREFIXES.some((p) => request.url.startsWith(p)),
    onExceeded: (request) => options.limited?.inc({ budget: isBookList(request) ? 'book_lists' : 'pages' }),
  });
}
