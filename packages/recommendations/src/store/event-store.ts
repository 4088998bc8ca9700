/**
 * The event log and the read models made from it, behind one interface with two implementations:
 * embedded (in this process's memory; `STORE_URL` unset: `make run`, most tests) and Valkey/Redis
 * (`STORE_URL=redis://…`: a stream with a consumer group for the log, sorted sets for the read
 * models). Domain code sees only this interface; it imports no store client.
 */

/** One validated reader event, as the log holds it. */
export interface StoredEvent {
  /** The sender's id, 1 to 64 bytes; the log stores each id once. */
  readonly eventId: string;
  /** 1 or more. */
  readonly userId: number;
  /** A book of the catalog. */
  readonly bookId: number;
  /** ReaderEventKind's number (1: viewed). */
  readonly kind: number;
  /** Milliseconds since the epoch, by the sender's clock (or the receipt time when unset). */
  readonly occurredAtMs: number;
}

/** What `append` did with each event of a batch. */
export interface AppendResult {
  /** Newly appended to the log. */
  readonly appended: readonly string[];
  /** Already in the log (a resend): durable too, not appended again. */
  readonly duplicates: readonly string[];
}

/** A book the reader viewed, most recent first. */
export interface RecentView {
  readonly bookId: number;
  readonly viewedAtMs: number;
}

/** A book co-viewed with another, and by how many readers. */
export interface CoView {
  readonly bookId: number;
  readonly count: number;
}

/** The bounds every implementation keeps, whatever a client sends. */
export interface ReadModelLimits {
  /** Views kept per reader (most recent). */
  readonly maxRecentViews: number;
  /** How long a reader's history lives after their last view. */
  readonly recentViewsTtlMs: number;
  /** Co-viewed books kept per book (the most co-viewed). */
  readonly maxCoViews: number;
}

export const DEFAULT_READ_MODEL_LIMITS: ReadModelLimits = {
  maxRecentViews: 50,
  recentViewsTtlMs: 30 * 24 * 60 * 60 * 1000,
  maxCoViews: 50,
};

/** A reader's recent views, each with the books most co-viewed with it: what a personal pick needs. */
export interface ReaderHistory {
  /** Newest first. */
  readonly views: RecentView[];
  /** `coViews[i]`: the books most co-viewed with `views[i]`, most first. */
  readonly coViews: CoView[][];
}

export interface EventStore {
  /**
   * Reads are answered from this process' memory (the embedded store): they cannot be slow, so
   * a Recommend reads them without the store-read budget's timer (personalised-recommender.ts).
   */
  readonly readsInProcess?: boolean;
  /**
   * Appends a batch to the log; resolves once every event is durable (Valkey: written by the
   * server; embedded: in memory). An id the log already holds is a duplicate, not appended again.
   * Rejects when the store is unreachable: nothing may then be acknowledged.
   */
  append(events: readonly StoredEvent[]): Promise<AppendResult>;
  /** The reader's most recent views, newest first, at most `limit`. */
  recentViews(userId: number, limit: number): Promise<RecentView[]>;
  /** The books most co-viewed with `bookId`, most first, at most `limit`. */
  coViewed(bookId: number, limit: number): Promise<CoView[]>;
  /**
   * `recentViews(userId, maxViews)` and the `coViewed(…, coViewsPerBook)` of each, read at once:
   * one round trip to Valkey (a Known reader's Recommend would otherwise make 1 + maxViews).
   */
  readerHistory(userId: number, maxViews: number, coViewsPerBook: number): Promise<ReaderHistory>;
  /**
   * Starts applying the log to the read models: every logged event exactly once across all
   * consumers of the same store (a consumer group), including events a crashed consumer had
   * read but not applied. `onApplied` is told each event this consumer applied (the metrics:
   * summed over every replica, each logged event is counted once).
   */
  startConsumer(onApplied?: (event: StoredEvent) => void): void;
  /** Stops consuming and closes connections. Safe to call more than once. */
  close(): Promise<void>;
}
