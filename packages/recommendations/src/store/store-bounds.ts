import type { ReadModelLimits } from './event-store';

/**
 * How long an event id is remembered for dedupe, in both stores. Resends come from a sender
 * retrying a batch it got no answer for (a broken stream, a restart): seconds to minutes later,
 * or an operator re-running a failed import at once; an hour covers both with a wide margin.
 * Longer costs memory: Valkey holds a key per id, ~145 bytes (measured on redis 7.0), so at
 * 100 events/s an hour is ~50 MB and a day would be 1.2 GB. A resend after the window is
 * appended again, and is still nearly harmless: re-viewing a book already in the reader's
 * history changes no read model.
 */
export const DEFAULT_DEDUPE_TTL_MS = 60 * 60 * 1000;

/** Limits come from configuration; a zero or fractional one would break trimming, so it fails at start-up. */
export function checkLimits(limits: ReadModelLimits): ReadModelLimits {
  const positive = (name: keyof ReadModelLimits) => {
    const value = limits[name];
    if (!Number.isSafeInteger(value) || value < 1)
      throw new Error(`read-model limit ${name} must be an integer >= 1 (got ${value})`);
  };
  positive('maxRecentViews');
  positive('recentViewsTtlMs');
  positive('maxCoViews');
  return limits;
}

/** A read's `limit` as a count: whole, not negative, not above what the store keeps. */
export function clampLimit(limit: number, kept: number): number {
  if (!Number.isFinite(limit) || limit <= 0) return 0;
  return Math.min(Math.floor(limit), kept);
}

/** ReaderEventKind VIEWED: the only kind the read models use; others are logged and acknowledged. */
export const VIEWED = 1;
