import { status as Status } from '@grpc/grpc-js';

/** Codes that mean the caller asked for something wrong: a warning, not an alert. */
const CLIENT_ERRORS = new Set<Status>([
  Status.INVALID_ARGUMENT,
  Status.NOT_FOUND,
  Status.ALREADY_EXISTS,
  Status.FAILED_PRECONDITION,
  Status.OUT_OF_RANGE,
  Status.RESOURCE_EXHAUSTED,
  Status.UNAUTHENTICATED,
  Status.PERMISSION_DENIED,
  Status.UNIMPLEMENTED,
]);

export type AccessLogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * OK at info. CANCELLED at debug: the client gave up, nothing for us to act on, and a client
 * cancelling in a loop would otherwise flood the logs (one probe wrote 128 MB). Caller mistakes
 * at warn, and so is an INTERNAL that grpc-js wrote below the handlers (`below`): that is the
 * client's unparseable message or malformed `grpc-timeout`, not our failure (ours come from the
 * handler, logged with their stack by the handler adapter). The rest at error.
 */
export function levelFor(code: Status, below: boolean): AccessLogLevel {
  if (code === Status.OK) return 'info';
  if (code === Status.CANCELLED) return 'debug';
  return CLIENT_ERRORS.has(code) || (below && code === Status.INTERNAL) ? 'warn' : 'error';
}
