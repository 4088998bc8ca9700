export { ConfigError, createEnvReader } from './env-reader';
export type { EnvReader } from './env-reader';
