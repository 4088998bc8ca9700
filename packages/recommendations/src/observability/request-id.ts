import { Metadata } from '@grpc/grpc-js';
import { randomUUID } from 'node:crypto';

export const REQUEST_ID_KEY = 'x-request-id';

/** Incoming ids are kept only when they look like ids: short, and safe to log and echo. */
const ACCEPTABLE_ID = /^[\w.:-]{1,128}$/;

/** The caller's id when acceptable, else undefined. */
export function acceptableId(sent: unknown): string | undefined {
  return typeof sent === 'string' && ACCEPTABLE_ID.test(sent) ? sent : undefined;
}

/** The call's id: the caller's `x-request-id` when acceptable, a new UUID otherwise; written into `metadata`. */
export function takeRequestId(metadata: Metadata): string {
  const id = acceptableId(metadata.get(REQUEST_ID_KEY)[0]) ?? randomUUID();
  metadata.set(REQUEST_ID_KEY, id);
  return id;
}

/** Response metadata carrying the id. */
export function requestIdMetadata(id: string, into = new Metadata()): Metadata {
  into.set(REQUEST_ID_KEY, id);
  return into;
}
