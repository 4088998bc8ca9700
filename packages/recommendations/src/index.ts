/** What other workspaces (tests, benchmarks) may use to run a real Recommendations server in-process. */
export { loadConfig } from './config';
export type { RecommendationsConfig } from './config';
export { BOOKS } from './domain/books';
export type { CatalogBook } from './domain/books';
export { loadCatalogFile } from './catalog-file';
export { createCatalog } from './domain/catalog';
export type { Catalog } from './domain/catalog';
export { seededRandom } from './domain/sample';
export { createRecommender } from './domain/recommender';
export { MAX_PAGE_SIZE } from './domain/recommender';
export type { ListBooksQuery, Recommender } from './domain/recommender';
export { createLogger } from './logger';
export { createRecommendationServer } from './server';
export type { BoundPorts, RecommendationServer } from './server';
export { createEventStore } from './store/create-store';
export type { EventStore, StoredEvent } from './store/event-store';
