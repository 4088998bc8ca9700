/**
 * The public surface of the contract: every name a service may import.
 * Hand-written on purpose, so that a new generated symbol is exported by decision, not by accident.
 */
import { FILE_DESCRIPTOR_SET_BASE64 } from './gen/descriptor-set';

export {
  protobufPackage,
  BookCategory,
  bookCategoryFromJSON,
  bookCategoryToJSON,
  RecommendRequest,
  BookRecommendation,
  RecommendResponse,
  Book,
  ListBooksRequest,
  ListBooksResponse,
  GetBookRequest,
  GetBookResponse,
  ReaderEventKind,
  readerEventKindFromJSON,
  readerEventKindToJSON,
  ReaderEvent,
  RecordEventsRequest,
  RecordEventsResponse,
  RejectedEvent,
  ImportEventsRequest,
  ImportEventsResponse,
  ImportRejection,
  RecommendationServiceService,
  RecommendationServiceClient,
} from './gen/bookstore/recommendations/v1/recommendations';
export type { RecommendationServiceServer, MessageFns } from './gen/bookstore/recommendations/v1/recommendations';
export { BOOK_CATEGORY_SLUGS } from './category-slugs';
export { HEALTH_SERVICE_NAME, HealthCheckRequest, HealthCheckResponse, HealthClient } from './health-client';
export type { ServingStatus } from './health-client';

/** The fully qualified name of the service, as used by health checks, reflection and metrics. */
export const RECOMMENDATION_SERVICE_NAME = 'bookstore.recommendations.v1.RecommendationService';

/**
 * Response metadata (header and trailer) on every RecommendationService answer: the version of
 * the catalog the answering replica serves, a hash of its books. Replicas with the same books
 * send the same value; a client paging through ListBooks compares it between pages. Additive:
 * clients that do not read it see v1 unchanged.
 */
export const CATALOG_VERSION_METADATA = 'catalog-version';

/** proto/ as a serialized FileDescriptorSet: what gRPC reflection serves to grpcurl and Postman. */
export function fileDescriptorSet(): Buffer {
  return Buffer.from(FILE_DESCRIPTOR_SET_BASE64, 'base64');
}
