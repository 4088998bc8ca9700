export { createLogDestination } from './log-destination';
export type { LogDestination } from './log-destination';
export { handleShutdownSignals } from './shutdown';
