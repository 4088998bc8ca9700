import { randomUUID } from 'node:crypto';

/** The HTTP header and gRPC metadata key that carries a request's id between the services. */
export const REQUEST_ID_HEADER = 'x-request-id';

/** Incoming ids are kept only when they look like ids: short, and safe to log and echo. */
const ACCEPTABLE_ID = /^[\w.:-]{1,128}$/;

/** The caller's id when it is acceptable (a string matching ACCEPTABLE_ID), otherwise undefined. */
export function acceptableRequestId(incoming: unknown): string | undefined {
  return typeof incoming === 'string' && ACCEPTABLE_ID.test(incoming) ? incoming : undefined;
}

/** The caller's id when it is acceptable, otherwise a new UUID. */
export function requestIdOrNew(incoming: unknown): string {
  return acceptableRequestId(incoming) ?? randomUUID();
}
