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
