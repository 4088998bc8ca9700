import { accessLogDecision } from '../../src';

/** A random source that returns `values` in turn and counts its draws. */
function sequence(values: number[]) {
  const source = Object.assign(() => values[source.draws++ % values.length] as number, { draws: 0 });
  return source;
}

describe('accessLogDecision', () => {
  it('logs failures and slow calls at rate 0, without drawing', () => {
    const random = sequence([0]);
    const decide = accessLogDecision({ slowMs: 100, sampleRate: 0 }, random);
    expect([decide(true, 1), decide(false, 100), decide(false, 99.9)]).toEqual([true, true, false]);
    expect(random.draws).toBe(0);
  });

  it('logs every call at rate 1', () => {
    const decide = accessLogDecision({ slowMs: 100, sampleRate: 1 }, sequence([0.99]));
    expect([decide(false, 0), decide(true, 0)]).toEqual([true, true]);
  });

  it('samples fast successes with the random source: below the rate is logged', () => {
    const random = sequence([0.1, 0.6, 0.49, 0.5]);
    const decide = accessLogDecision({ slowMs: 100, sampleRate: 0.5 }, random);
    expect([decide(false, 1), decide(false, 1), decide(false, 1), decide(false, 1)]).toEqual([
      true,
      false,
      true,
      false,
    ]);
    expect([decide(true, 1), decide(false, 500)]).toEqual([true, true]);
    expect(random.draws).toBe(4);
  });
});
