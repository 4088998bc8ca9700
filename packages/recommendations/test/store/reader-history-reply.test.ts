import { parseReaderHistory } from '../../src/store/reader-history-reply';

describe("READER_HISTORY's reply", () => {
  it('reads each number as Number() would, plain digits or not', () => {
    const fields = ['999999999999999', '9007199254740993', '1.5', '1e+21', '-3', '0', '00042', 'inf'];
    const reply = [fields.length / 2, ...fields, ...Array.from({ length: fields.length / 2 }, () => 0)].join(',');
    const { views } = parseReaderHistory(reply);
    expect(views.map((v) => [v.bookId, v.viewedAtMs]).flat()).toEqual(fields.map(Number));
  });

  it('answers no views for an empty history, and an empty list for a view without co-views', () => {
    expect(parseReaderHistory('0')).toEqual({ views: [], coViews: [] });
    expect(parseReaderHistory('')).toEqual({ views: [], coViews: [] });
    expect(parseReaderHistory('2,5,100,6,90,0,1,7,3')).toEqual({
      views: [
        { bookId: 5, viewedAtMs: 100 },
        { bookId: 6, viewedAtMs: 90 },
      ],
      coViews: [[], [{ bookId: 7, count: 3 }]],
    });
  });

  it('never reads past the end of a reply cut short', () => {
    expect(parseReaderHistory('2,5,100,6')).toEqual({ views: [{ bookId: 5, viewedAtMs: 100 }], coViews: [[]] });
    expect(parseReaderHistory('1,5,100,3,7,1')).toEqual({
      views: [{ bookId: 5, viewedAtMs: 100 }],
      coViews: [[{ bookId: 7, count: 1 }]],
    });
  });
});

/**
 * The reply's meaning, written the plain way (split, then Number()): the one-pass parse must
 * answer the same for every reply, whole or cut anywhere.
 */
function reference(reply: string) {
  if (reply === '') return { views: [], coViews: [] };
  const numbers = reply.split(',').map(Number);
  let at = 0;
  const pairsAt = () => {
    const pairs = numbers[at++] ?? 0;
    return Math.max(0, Math.min(pairs, Math.floor((numbers.length - at) / 2)));
  };
  const views: { bookId: number; viewedAtMs: number }[] = [];
  for (let i = pairsAt(); i > 0; i--, at += 2) views.push({ bookId: numbers[at]!, viewedAtMs: numbers[at + 1]! });
  const coViews = views.map(() => {
    const list: { bookId: number; count: number }[] = [];
    for (let i = pairsAt(); i > 0; i--, at += 2) list.push({ bookId: numbers[at]!, count: numbers[at + 1]! });
    return list;
  });
  return { views, coViews };
}

describe("READER_HISTORY's reply, against a plain reading", () => {
  it('answers the same for 2,000 random replies, whole and cut at three places each', () => {
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const odd = ['1.5', '-3', '1e3', '', '00', '12345678901234567'];
    const number = () => (random(20) === 0 ? odd[random(odd.length)]! : String(random(2_000_000_000_000)));
    for (let r = 0; r < 2000; r += 1) {
      const views = random(6);
      // Now and then a count that is not a plain one (1.5, -3, 1e3, empty, …), which a reply from
      // Valkey never has, so the two readings must still agree on it.
      const count = (n: number) => (random(30) === 0 ? odd[random(odd.length)]! : String(n));
      const parts = [count(views)];
      for (let v = 0; v < views * 2; v += 1) parts.push(number());
      for (let v = 0; v < views; v += 1) {
        const pairs = random(5);
        parts.push(count(random(10) === 0 ? pairs + 2 : pairs));
        for (let p = 0; p < pairs * 2; p += 1) parts.push(number());
      }
      const reply = parts.join(',');
      for (const cut of [reply.length, random(reply.length + 1), reply.lastIndexOf(',')]) {
        const text = reply.slice(0, Math.max(0, cut));
        expect(parseReaderHistory(text)).toEqual(reference(text));
      }
    }
  });
});
