import { createLogDestination } from '@bookstore/service-kit';
import pino, { type Logger } from 'pino';

/** Credentials callers may send as metadata; never written to logs. */
export const REDACTED_METADATA = ['authorization', 'cookie', 'set-cookie', 'x-api-key', 'proxy-authorization'];

/** The process's one logger: JSON lines, with the service name on each and credentials redacted. */
export function createLogger(options: { level: string }): Logger {
  return pino(
    { name: 'recommendations', level: options.level, redact: REDACTED_METADATA.map((key) => `metadata["${key}"]`) },
    createLogDestination(),
  );
}
