/** What other workspaces (tests, benchmarks) may use to run a real Recommendations server in-process. */
export { loadConfig } from './config';
export type { RecommendationsConfig } from './config';
export { BOOKS } from './domain/books';
export type { CatalogBook } from './domain/books';
export { createCatalog } from './domain/catalog';
export { createRecommender } from './domain/recommender';
export type { Recommender } from './domain/recommender';
export { createLogger } from './logger';
export { createRecommendationServer } from './server';
export type { BoundPorts, RecommendationServer } from './server';
