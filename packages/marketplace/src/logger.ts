import { createLogDestination } from '@bookstore/runtime';
import pino, { type DestinationStream, type Logger } from 'pino';

/** The process's one logger, handed to fastify too: JSON lines, with the service name on each. */
export function createLogger(options: { level: string; destination?: DestinationStream }): Logger {
  return pino({ name: 'marketplace', level: options.level }, options.destination ?? createLogDestination());
}
