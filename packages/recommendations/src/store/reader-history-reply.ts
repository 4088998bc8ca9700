import type { CoView, ReaderHistory, RecentView } from './event-store';

const COMMA = 44;
const ZERO = 48;
const NINE = 57;
/** Up to 15 digits, `value * 10 + digit` stays exact (below 2^53); longer ones go to Number(). */
const EXACT_DIGITS = 15;

/**
 * READER_HISTORY's reply, `V,book,ms,…,C1,book,count,…,C2,…` (each list its pair count, then its
 * pairs; the views first, then one list per view), as a ReaderHistory: one pass over the text.
 * A reply cut short ends the list it is in, without its last, incomplete pair (it never reads
 * past the end).
 *
 * Numbers are read straight into the views and co-views, with no array of all of them between:
 * plain digits (every id, time and count Valkey writes here) are read in place; anything else (a
 * sign, a point, an exponent, more than 15 digits) is read by Number(), as before. Through an
 * array of ~860 numbers (doubles, the times being past 2^31), the parse cost 29 µs a call; read
 * directly, ids and counts stay small integers (docs/benchmarks.md, "Personalisation").
 */
export function parseReaderHistory(reply: string): ReaderHistory {
  if (reply === '') return { views: [], coViews: [] };
  const length = reply.length;
  let at = 0; // where the next number starts
  /** The next number, or undefined once the reply is used up. */
  const next = (): number | undefined => {
    if (at > length) return undefined;
    const start = at;
    let value = 0;
    let plain = true;
    let i = start;
    for (; i < length; i++) {
      const code = reply.charCodeAt(i);
      if (code === COMMA) break;
      if (code >= ZERO && code <= NINE) value = value * 10 + (code - ZERO);
      else plain = false;
    }
    at = i + 1;
    return plain && i > start && i - start <= EXACT_DIGITS ? value : Number(reply.slice(start, i));
  };
  const views: RecentView[] = [];
  for (let pairs = next() ?? 0; pairs > 0; pairs--) {
    const bookId = next();
    const viewedAtMs = next();
    if (bookId === undefined || viewedAtMs === undefined) break;
    views.push({ bookId, viewedAtMs });
  }
  const coViews: CoView[][] = [];
  for (let v = 0; v < views.length; v++) {
    const list: CoView[] = [];
    for (let pairs = next() ?? 0; pairs > 0; pairs--) {
      const bookId = next();
      const count = next();
      if (bookId === undefined || count === undefined) break;
      list.push({ bookId, count });
    }
    coViews.push(list);
  }
  return { views, coViews };
}
