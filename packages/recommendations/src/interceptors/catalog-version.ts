import { CATALOG_VERSION_METADATA, RECOMMENDATION_SERVICE_NAME } from '@bookstore/contracts';
import { Metadata, ServerInterceptingCall, type ServerInterceptor } from '@grpc/grpc-js';

/**
 * Names the catalog version on every RecommendationService answer, in the response headers and
 * in the trailers (a stream with no book may send trailers only), so a client paging through
 * ListBooks across replicas can tell when two pages came from different catalogs. Response
 * metadata is additive: v1 answers stay as they were.
 */
export function createCatalogVersionInterceptor(version: string): ServerInterceptor {
  const prefix = `/${RECOMMENDATION_SERVICE_NAME}/`;
  return (method, call) => {
    if (!method.path.startsWith(prefix)) return new ServerInterceptingCall(call);
    return new ServerInterceptingCall(call, {
      sendMetadata: (metadata, next) => {
        metadata.set(CATALOG_VERSION_METADATA, version);
        next(metadata);
      },
      sendStatus: (status, next) => {
        const metadata = status.metadata ?? new Metadata();
        metadata.set(CATALOG_VERSION_METADATA, version);
        next({ ...status, metadata });
      },
    });
  };
}
