import { ReaderEventKind } from '@bookstore/contracts';
import type { StoredEvent } from '../store/event-store';
import { type Catalog, findBook } from './catalog';

/** Events one RecordEvents request may carry. */
export const MAX_BATCH_EVENTS = 500;
/** The longest event id, in UTF-8 bytes. */
export const MAX_EVENT_ID_BYTES = 64;
/** How far ahead of this server's clock an event may be dated (clocks drift; a day ahead is a bug). */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

/** A reader event as received (ReaderEvent's fields; `occurredAt` unset means "now"). */
export interface IncomingEvent {
  readonly eventId: string;
  readonly userId: number;
  readonly bookId: number;
  readonly kind: ReaderEventKind;
  readonly occurredAt: Date | undefined;
}

/** An event that will never be stored, and why (for people). */
export interface Rejection {
  readonly eventId: string;
  readonly reason: string;
}

export interface CheckedBatch {
  /** Valid events, in the order sent, each id once. */
  readonly valid: StoredEvent[];
  readonly rejected: Rejection[];
}

/** `id` cut to at most MAX_EVENT_ID_BYTES of UTF-8 without splitting a character: echoes stay bounded. */
function boundedId(id: string): string {
  if (Buffer.byteLength(id) <= MAX_EVENT_ID_BYTES) return id;
  let cut = id.slice(0, MAX_EVENT_ID_BYTES);
  while (Buffer.byteLength(cut) > MAX_EVENT_ID_BYTES) cut = cut.slice(0, -1);
  // A lone high surrogate left at the end would not survive UTF-8 encoding.
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

function problemsOf(event: IncomingEvent, catalog: Catalog, nowMs: number): string[] {
  const problems: string[] = [];
  const idBytes = Buffer.byteLength(event.eventId);
  if (idBytes < 1 || idBytes > MAX_EVENT_ID_BYTES) {
    problems.push(`event_id must be 1 to ${MAX_EVENT_ID_BYTES} bytes (got ${idBytes})`);
  }
  if (event.userId < 1) problems.push(`user_id must be >= 1 (got ${event.userId})`);
  if (findBook(catalog, event.bookId) === undefined) problems.push(`unknown book ${event.bookId}`);
  if (event.kind === ReaderEventKind.READER_EVENT_KIND_UNSPECIFIED) problems.push('kind is required');
  else if (event.kind !== ReaderEventKind.READER_EVENT_KIND_VIEWED) problems.push(`unknown kind ${event.kind}`);
  const at = event.occurredAt?.getTime() ?? nowMs;
  if (!Number.isFinite(at)) problems.push('occurred_at is not a valid time');
  else if (at > nowMs + MAX_CLOCK_SKEW_MS) problems.push('occurred_at is more than 5 minutes in the future');
  return problems;
}

/**
 * Checks one RecordEvents batch: a batch of 0 or over MAX_BATCH_EVENTS is refused as a whole
 * (every event rejected with that reason; an empty batch gets one rejection with an empty id so
 * the sender still learns why), otherwise each event on its own. An id sent twice in one batch
 * is kept once, as the store would.
 */
export function checkBatch(events: readonly IncomingEvent[], catalog: Catalog, nowMs: number): CheckedBatch {
  if (events.length === 0 || events.length > MAX_BATCH_EVENTS) {
    const reason = `a batch holds 1 to ${MAX_BATCH_EVENTS} events (got ${events.length})`;
    const rejected = events.map((event) => ({ eventId: boundedId(event.eventId), reason }));
    return { valid: [], rejected: events.length === 0 ? [{ eventId: '', reason }] : rejected };
  }
  const valid: StoredEvent[] = [];
  const rejected: Rejection[] = [];
  const seen = new Set<string>();
  for (const event of events) {
    const problems = problemsOf(event, catalog, nowMs);
    if (problems.length > 0) {
      rejected.push({ eventId: boundedId(event.eventId), reason: problems.join('; ') });
      continue;
    }
    if (seen.has(event.eventId)) continue;
    seen.add(event.eventId);
    valid.push({
      eventId: event.eventId,
      userId: event.userId,
      bookId: event.bookId,
      kind: event.kind,
      occurredAtMs: event.occurredAt?.getTime() ?? nowMs,
    });
  }
  return { valid, rejected };
}
