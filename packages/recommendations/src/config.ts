import { createEnvReader } from '@bookstore/env-config';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Everything the service reads from its environment, validated and frozen. */
export interface RecommendationsConfig {
  /** gRPC port; 0 asks the OS for a free one. */
  readonly port: number;
  /** Interface to bind; 0.0.0.0 so a container's port is reachable. */
  readonly host: string;
  readonly logLevel: LogLevel;
}

/** Reads the environment once; throws one ConfigError listing every invalid variable. */
export function loadConfig(env: Readonly<Record<string, string | undefined>>): RecommendationsConfig {
  const read = createEnvReader(env);
  const config: RecommendationsConfig = {
    port: read.port('PORT', 50051),
    host: read.string('HOST', '0.0.0.0'),
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'info'),
  };
  read.finish();
  return Object.freeze(config);
}
