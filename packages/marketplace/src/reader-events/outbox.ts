/** A reader event waiting to be stored by Recommendations, as the outbox keeps it. */
export interface OutboxEvent {
  readonly eventId: string;
  readonly userId: number;
  readonly bookId: number;
  readonly occurredAt: Date;
}

export interface Outbox {
  /** Adds an event; when the outbox is full the oldest one is dropped to make room. Never waits. */
  enqueue(event: OutboxEvent): void;
  /** Up to `max` of the oldest events not yet sent on the current stream; they count as in flight. */
  takeUnsent(max: number): OutboxEvent[];
  /** Removes events the server has answered for (stored or rejected); unknown ids are ignored. */
  acknowledge(eventIds: Iterable<string>): void;
  /** The stream broke: everything in flight is unsent again, in its original order. */
  resendAll(): void;
  /** Every event held, in flight or not. */
  readonly size: number;
  readonly unsentCount: number;
}

/**
 * The bounded in-memory outbox of reader events. Events leave it only when acknowledged, so a
 * broken stream loses nothing but what a full outbox had to drop (the oldest first: a recent view
 * says more about a reader than an old one). Two insertion-ordered maps keep every operation O(1)
 * per event: every in-flight event was taken from the head of `unsent`, so each is older than
 * every unsent one, and the oldest event overall is the head of `inFlight` when it has one.
 */
export function createOutbox(options: { capacity: number; onDrop: (event: OutboxEvent) => void }): Outbox {
  if (!Number.isInteger(options.capacity) || options.capacity < 1) {
    throw new RangeError(`outbox capacity must be a whole number >= 1 (got ${options.capacity})`);
  }
  let unsent = new Map<string, OutboxEvent>();
  const inFlight = new Map<string, OutboxEvent>();

  const dropOldest = () => {
    const from = inFlight.size > 0 ? inFlight : unsent;
    const oldest = from.values().next();
    if (oldest.done === true) return;
    from.delete(oldest.value.eventId);
    options.onDrop(oldest.value);
  };

  return {
    enqueue(event) {
      if (unsent.has(event.eventId) || inFlight.has(event.eventId)) return;
      while (unsent.size + inFlight.size >= options.capacity) dropOldest();
      unsent.set(event.eventId, event);
    },
    takeUnsent(max) {
      const taken: OutboxEvent[] = [];
      for (const event of unsent.values()) {
        if (taken.length >= max) break;
        taken.push(event);
      }
      for (const event of taken) {
        unsent.delete(event.eventId);
        inFlight.set(event.eventId, event);
      }
      return taken;
    },
    acknowledge(eventIds) {
      for (const id of eventIds) {
        inFlight.delete(id);
        unsent.delete(id);
      }
    },
    resendAll() {
      if (inFlight.size === 0) return;
      unsent = new Map([...inFlight, ...unsent]);
      inFlight.clear();
    },
    get size() {
      return unsent.size + inFlight.size;
    },
    get unsentCount() {
      return unsent.size;
    },
  };
}
