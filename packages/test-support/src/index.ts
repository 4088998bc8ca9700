export { runToEnd } from './child-process';
export type { FinishedProcess } from './child-process';
export { createHealthClient, watchHealth } from './health-client';
export type { HealthClient } from './health-client';
export { freePort } from './ports';
export { rssMb } from './process-memory';
export { fetchMetricsText, sampleValue } from './prometheus-text';
export { startRedis } from './redis-server';
export type { RedisServer } from './redis-server';
