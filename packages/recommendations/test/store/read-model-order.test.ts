import fc from 'fast-check';
import { compareMembers } from '../../src/store/read-model-order';

describe('the sorted-set order the embedded store shares with Valkey', () => {
  it('ties on score order members as their decimal strings do (book 10 before book 9)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 0, max: 2 ** 31 - 1 }), (a, b) => {
        const asStrings = String(a) === String(b) ? 0 : String(a) < String(b) ? -1 : 1;
        expect(compareMembers(1, a, 1, b)).toBe(asStrings);
      }),
      { numRuns: 5_000 },
    );
    expect(compareMembers(1, 10, 1, 9)).toBe(-1);
    expect(compareMembers(1, 100, 1, 10)).toBe(1);
  });

  it('orders by score first', () => {
    expect(compareMembers(1, 9, 2, 10)).toBe(-1);
    expect(compareMembers(3, 1, 2, 2)).toBe(1);
  });
});
