import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Incoming ids are reused only when they look like ids: short, and safe to log and echo. */
const ACCEPTABLE_ID = /^[\w.:-]{1,128}$/;

/** fastify's genReqId: the caller's `x-request-id` when acceptable, otherwise a new UUID. */
export function requestIdFrom(request: IncomingMessage): string {
  const incoming = request.headers['x-request-id'];
  return typeof incoming === 'string' && ACCEPTABLE_ID.test(incoming) ? incoming : randomUUID();
}
