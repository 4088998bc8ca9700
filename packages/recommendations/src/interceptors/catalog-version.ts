import { CATALOG_VERSION_METADATA, RECOMMENDATION_SERVICE_NAME } from '@bookstore/contracts';
import type { Metadata } from '@grpc/grpc-js';

/** Metadata every answer of some methods carries, in its response headers and its trailers. */
export interface AnswerMetadata {
  appliesTo(path: string): boolean;
  addTo(metadata: Metadata): void;
}

/**
 * Names the catalog version on every RecommendationService answer, in the response headers and
 * in the trailers (a stream with no book may send trailers only), so a client paging through
 * ListBooks across replicas can tell when two pages came from different catalogs. Response
 * metadata is additive: v1 answers stay as they were. Added by the call interceptor
 * (observability/call-interceptor.ts): an interceptor of its own was one more layer of objects
 * on every call.
 */
export function catalogVersionMetadata(version: string): AnswerMetadata {
  const prefix = `/${RECOMMENDATION_SERVICE_NAME}/`;
  return {
    appliesTo: (path) => path.startsWith(prefix),
    addTo: (metadata) => metadata.set(CATALOG_VERSION_METADATA, version),
  };
}
