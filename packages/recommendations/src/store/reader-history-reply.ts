import type { CoView, ReaderHistory, RecentView } from './event-store';

const COMMA = 44;
const ZERO = 48;
const NINE = 57;
/** Up to 15 digits, `value * 10 + digit` stays exact (below 2^53); longer ones go to Number(). */
const EXACT_DIGITS = 15;

/**
 * The numbers of a comma-joined reply, in one pass: plain digits (every id, time and count
 * Valkey writes here) are read in place; anything else (a sign, a point, an exponent, more than
 * 15 digits) is read by Number(), as before. No substring is made for the common case: reading
 * ~860 of them a call was most of the parse's time.
 */
function numbersOf(reply: string): number[] {
  const numbers: number[] = [];
  let start = 0;
  let value = 0;
  let plain = true;
  for (let i = 0; i <= reply.length; i++) {
    const code = i < reply.length ? reply.charCodeAt(i) : COMMA;
    if (code === COMMA) {
      numbers.push(plain && i > start && i - start <= EXACT_DIGITS ? value : Number(reply.slice(start, i)));
      start = i + 1;
      value = 0;
      plain = true;
    } else if (code >= ZERO && code <= NINE) {
      value = value * 10 + (code - ZERO);
    } else {
      plain = false;
    }
  }
  return numbers;
}

/**
 * READER_HISTORY's reply, `V,book,ms,…,C1,book,count,…,C2,…` (each list its pair count, then its
 * pairs; the views first, then one list per view), as a ReaderHistory: one pass over the text.
 * A reply cut short ends the list it is in (it never reads past the end).
 */
export function parseReaderHistory(reply: string): ReaderHistory {
  if (reply === '') return { views: [], coViews: [] };
  const numbers = numbersOf(reply);
  let at = 0;
  const pairsAt = (): number => {
    const pairs = numbers[at++] ?? 0;
    return Math.max(0, Math.min(pairs, Math.floor((numbers.length - at) / 2)));
  };
  const views: RecentView[] = [];
  for (let i = pairsAt(); i > 0; i--, at += 2) {
    views.push({ bookId: numbers[at] as number, viewedAtMs: numbers[at + 1] as number });
  }
  const coViews: CoView[][] = [];
  for (let v = 0; v < views.length; v++) {
    const list: CoView[] = [];
    for (let i = pairsAt(); i > 0; i--, at += 2) {
      list.push({ bookId: numbers[at] as number, count: numbers[at + 1] as number });
    }
    coViews.push(list);
  }
  return { views, coViews };
}
