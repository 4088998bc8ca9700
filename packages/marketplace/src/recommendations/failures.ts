import type { Logger } from 'pino';
import { type ServiceError, status as Status } from '@grpc/grpc-js';

/**
 * The failure policy, decided here once. These codes say Recommendations cannot answer *now*:
 * pages render without what it would have given and the API answers 503 with Retry-After.
 *
 * - UNAVAILABLE: nothing listening, a connection or TLS handshake that failed, a server draining.
 * - DEADLINE_EXCEEDED: no answer within RECOMMENDATIONS_TIMEOUT_MS.
 * - RESOURCE_EXHAUSTED: the server is at one of its limits (concurrent streams, connections);
 *   Recommend and GetBook have been tried again on it first (channel-options.ts).
 * - CANCELLED: the server reset the call, as a replica's forced shutdown does to calls in flight.
 * - any code on a call ended by an HTTP/2 stream reset rather than a gRPC status: grpc-js reports
 *   a reset with INTERNAL_ERROR (a session torn down mid-call) as INTERNAL "Received RST_STREAM
 *   with code 2": the connection broke the call, the server did not answer it (isStreamReset).
 *
 * Every other code (INVALID_ARGUMENT, NOT_FOUND, UNIMPLEMENTED, INTERNAL, UNKNOWN,
 * PERMISSION_DENIED, ...) means the two sides disagree or one has a bug: retrying later would
 * not help, so it is thrown as a RecommendationsCallError, a 5xx logged at error with its stack.
 */
export const UNAVAILABLE_CODES: ReadonlySet<Status> = new Set([
  Status.UNAVAILABLE,
  Status.DEADLINE_EXCEEDED,
  Status.RESOURCE_EXHAUSTED,
  Status.CANCELLED,
]);

/** grpc-js' wording for a call that ended by a stream reset, with no status from the server. */
const STREAM_RESET = /^Received RST_STREAM with code [1-9]/;

/** True when the failure is unavailable under the policy above (logged at warn, page degraded). */
export function isUnavailable(error: Pick<ServiceError, 'code' | 'details'>): boolean {
  return UNAVAILABLE_CODES.has(error.code) || STREAM_RESET.test(error.details);
}

/** A failed call that is not unavailable (see isUnavailable): a programming or deployment error. */
export class RecommendationsCallError extends Error {
  readonly statusCode = 500;

  constructor(
    readonly code: Status,
    details: string,
  ) {
    super(`recommendations call failed: ${Status[code] ?? code}: ${details}`);
    this.name = 'RecommendationsCallError';
  }
}

/** The request a call is made for. */
export interface CallContext {
  /** Sent on as `x-request-id` metadata. */
  readonly requestId?: string;
  /** The request's logger: an unavailable answer is logged on it at warn, with the request id. */
  readonly log?: Pick<Logger, 'warn'>;
}

/** Applies the failure policy to a failed call: unavailable (logged at warn), or the error to throw. */
export function failed(
  method: string,
  error: ServiceError,
  context: CallContext | undefined,
): { available: false } | RecommendationsCallError {
  if (!isUnavailable(error)) return new RecommendationsCallError(error.code, error.details);
  context?.log?.warn({ grpcCode: Status[error.code], method }, 'Recommendations unavailable; answered without it');
  return { available: false };
}

/** Settles a call's promise with the policy's answer for a failure. */
export function settleFailure<T>(
  outcome: { available: false } | RecommendationsCallError,
  resolve: (value: { available: false } | T) => void,
  reject: (error: Error) => void,
): void {
  if (outcome instanceof RecommendationsCallError) reject(outcome);
  else resolve(outcome);
}
