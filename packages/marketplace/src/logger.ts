import { createLogDestination } from '@bookstore/service-kit';
import pino, { type Logger } from 'pino';

/** The process's one logger, handed to fastify too: JSON lines, with the service name on each. */
export function createLogger(options: { level: string }): Logger {
  return pino({ name: 'marketplace', level: options.level }, createLogDestination());
}
