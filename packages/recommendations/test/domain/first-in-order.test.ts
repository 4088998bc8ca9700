import { firstInOrder } from '../../src/domain/first-in-order';

describe('firstInOrder', () => {
  it('answers what sorting all and keeping the first k answers, for any k', () => {
    // A fixed pseudo-random sequence: many ties on count, broken by the id (a total order).
    let seed = 7;
    const next = () => (seed = (seed * 48271) % 2147483647);
    const compare = (a: { count: number; id: number }, b: { count: number; id: number }) =>
      b.count - a.count || a.id - b.id;
    for (let round = 0; round < 50; round++) {
      const items = Array.from({ length: next() % 400 }, (_, id) => ({ count: next() % 20, id }));
      for (const k of [0, 1, 3, 20, 100, 500]) {
        expect(firstInOrder(items, k, compare)).toEqual([...items].sort(compare).slice(0, k));
      }
    }
  });
});
