import { Metadata, status as Status, type ServiceError } from '@grpc/grpc-js';
import { DomainError, InvalidArgumentError, NotFoundError, UnavailableError } from '../domain/errors';

/** What a client sees for any error the service did not expect: nothing internal leaks. */
export const INTERNAL_MESSAGE = 'internal error';

/** An error on its way to the client: a gRPC status code and the message it may see. */
export interface MappedError {
  readonly code: Status;
  readonly details: string;
  /** False for errors the service did not expect; they are logged with their stack. */
  readonly expected: boolean;
}

/** The one place domain errors become gRPC status codes. */
export function mapError(error: unknown): MappedError {
  if (error instanceof InvalidArgumentError) {
    return { code: Status.INVALID_ARGUMENT, details: error.message, expected: true };
  }
  if (error instanceof NotFoundError) {
    return { code: Status.NOT_FOUND, details: error.message, expected: true };
  }
  if (error instanceof UnavailableError) {
    return { code: Status.UNAVAILABLE, details: error.message, expected: true };
  }
  if (error instanceof DomainError) {
    return { code: Status.FAILED_PRECONDITION, details: error.message, expected: true };
  }
  return { code: Status.INTERNAL, details: INTERNAL_MESSAGE, expected: false };
}

/** The grpc-js error object for a mapped error. */
export function toServiceError(mapped: MappedError): Partial<ServiceError> & { code: Status; details: string } {
  return {
    name: 'ServiceError',
    message: mapped.details,
    code: mapped.code,
    details: mapped.details,
    metadata: new Metadata(),
  };
}
