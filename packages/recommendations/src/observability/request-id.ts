import { REQUEST_ID_HEADER, requestIdOrNew } from '@bookstore/service-kit';
import { Metadata } from '@grpc/grpc-js';

/** The call's id: the caller's `x-request-id` when acceptable, a new UUID otherwise; written into `metadata`. */
export function takeRequestId(metadata: Metadata): string {
  const id = requestIdOrNew(metadata.get(REQUEST_ID_HEADER)[0]);
  metadata.set(REQUEST_ID_HEADER, id);
  return id;
}

/** Response metadata carrying the id. */
export function requestIdMetadata(id: string, into = new Metadata()): Metadata {
  into.set(REQUEST_ID_HEADER, id);
  return into;
}
