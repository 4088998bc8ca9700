import { REQUEST_ID_HEADER, requestIdOrNew } from '@bookstore/service-kit';
import type { IncomingMessage } from 'node:http';

/** fastify's genReqId: the caller's `x-request-id` when acceptable, otherwise a new UUID. */
export function requestIdFrom(request: IncomingMessage): string {
  return requestIdOrNew(request.headers[REQUEST_ID_HEADER]);
}
