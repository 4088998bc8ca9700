import type { Logger } from 'pino';
import type { EventStore, ReadModelLimits } from './event-store';
export function createEventStore(_options: {
  url: string | undefined;
  limits?: ReadModelLimits;
  logger: Logger;
}): EventStore {
  throw new Error('placeholder: replaced by the i23-store branch');
}
