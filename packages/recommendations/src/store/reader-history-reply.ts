import type { CoView, ReaderHistory, RecentView } from './event-store';

/**
 * READER_HISTORY's reply, `V,book,ms,…,C1,book,count,…,C2,…` (each list its pair count, then its
 * pairs; the views first, then one list per view), as a ReaderHistory: one split, one pass.
 * A reply cut short ends the list it is in (it never reads past the end).
 */
export function parseReaderHistory(reply: string): ReaderHistory {
  const fields = reply.split(',');
  let at = 0;
  /** The list starting at `at`: its pair count, then that many (id, score) pairs. */
  function nextList<T>(make: (id: number, score: number) => T): T[] {
    const pairs = Number(fields[at++]);
    const list: T[] = [];
    for (let i = 0; i < pairs && at + 1 < fields.length; i++, at += 2) {
      list.push(make(Number(fields[at]), Number(fields[at + 1])));
    }
    return list;
  }
  if (reply === '') return { views: [], coViews: [] };
  const views = nextList((bookId, viewedAtMs): RecentView => ({ bookId, viewedAtMs }));
  const coViews = views.map(() => nextList((bookId, count): CoView => ({ bookId, count })));
  return { views, coViews };
}
