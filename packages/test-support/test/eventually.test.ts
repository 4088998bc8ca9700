import { eventually } from '../src';

describe('eventually', () => {
  it('returns true as soon as the check holds', async () => {
    let calls = 0;
    expect(await eventually(() => (calls += 1) === 3, 10_000, 1)).toBe(true);
    expect(calls).toBe(3);
  });

  it('returns false once the deadline passes without the check holding, having checked once more', async () => {
    let calls = 0;
    expect(await eventually(async () => ((calls += 1), false), 30, 10)).toBe(false);
    expect(calls).toBeGreaterThanOrEqual(2);
  });
});
