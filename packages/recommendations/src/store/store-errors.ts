/**
 * Why a store call failed: `unavailable` (Valkey unreachable, too slow, or still connecting),
 * `backlog-full` (the log holds its bound of entries not yet applied) or `closed` (after
 * `close()`). Whatever the reason, nothing of the call may be acknowledged to a sender.
 */
export class EventStoreError extends Error {
  constructor(
    readonly reason: 'unavailable' | 'backlog-full' | 'closed',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'EventStoreError';
  }
}
