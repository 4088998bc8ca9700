export { createLogDestination } from './log-destination';
export type { LogDestination } from './log-destination';
export { handleShutdownSignals } from './shutdown';
export { accessLogDecision } from './access-log-policy';
export type { AccessLogDecision, AccessLogPolicy } from './access-log-policy';
