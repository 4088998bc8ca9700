import { status as Status } from '@grpc/grpc-js';

/**
 * What `bookstore` exits with, so scripts can branch on the failure class. A failed call exits
 * with 10 + its gRPC status code (UNAVAILABLE 14 → 24), which keeps every class distinct and
 * is documented in the README and in `bookstore --help`.
 */
export const EXIT_CODES = {
  ok: 0,
  /** A local failure that is not a gRPC status (a bug, an unreadable output): the message says. */
  unexpected: 1,
  /** Bad flags or values, including TLS files that cannot be read: usage is printed. */
  usage: 2,
  /** `health` answered, and the service is not SERVING. */
  notServing: 3,
  /** `import` finished, and some events were rejected (the summary lists them). */
  rejected: 4,
} as const;

const GRPC_BASE = 10;

/** The exit code of a call that failed with `code`. */
export function exitCodeForStatus(code: Status): number {
  return GRPC_BASE + code;
}

/** The status name of a gRPC code, e.g. NOT_FOUND. */
export function statusName(code: Status): string {
  return Status[code] ?? `STATUS_${code}`;
}

/** One line per code, for `--help`. */
export function exitCodeHelp(): string {
  const failures = [
    Status.INVALID_ARGUMENT,
    Status.DEADLINE_EXCEEDED,
    Status.NOT_FOUND,
    Status.RESOURCE_EXHAUSTED,
    Status.INTERNAL,
    Status.UNAVAILABLE,
    Status.UNAUTHENTICATED,
  ];
  return [
    'Exit codes:',
    '  0   OK',
    '  1   unexpected local failure',
    '  2   bad flags or values (usage is printed)',
    '  3   health: the service is not SERVING',
    '  4   import: some events were rejected',
    '  10 + gRPC status code when a call fails, e.g.',
    ...failures.map((code) => `  ${String(exitCodeForStatus(code)).padEnd(3)} ${statusName(code)}`),
  ].join('\n');
}
