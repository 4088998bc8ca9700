export { ConfigError, createEnvReader, loadConfigOrExit } from './env-reader';
export type { EnvReader } from './env-reader';
