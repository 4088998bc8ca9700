/**
 * Typed errors the domain throws. They carry no gRPC knowledge: the transport maps them to
 * status codes in one place (grpc/status-mapping.ts).
 */
export class DomainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The request itself is wrong; retrying it unchanged cannot succeed. */
export class InvalidArgumentError extends DomainError {
  /** One entry per wrong field, e.g. "max_results must be >= 0 (got -1)". */
  readonly violations: readonly string[];

  constructor(violations: readonly string[]) {
    super(violations.join('; '));
    this.violations = violations;
  }
}

/** The request is well formed but names something that does not exist. */
export class NotFoundError extends DomainError {}

/**
 * Something the service depends on (the event store) cannot do its part now; the same request
 * may succeed later. Nothing of the request was acknowledged.
 */
export class UnavailableError extends DomainError {}
