import { createClientErrorBudget } from '../../src/observability/client-error-budget';

describe('the client-error budget of the access log', () => {
  it('lets the first N of each second through, holds back the rest, and reports how many before the next line', () => {
    let clock = 5_000;
    const budget = createClientErrorBudget({ perSecond: 2, sampleRate: 0, now: () => clock });
    expect([budget.take(), budget.take(), budget.take(), budget.take()]).toEqual([0, 0, -1, -1]);
    clock += 999; // still the same second
    expect(budget.take()).toBe(-1);
    clock += 1; // the next second
    expect([budget.take(), budget.take(), budget.take()]).toEqual([3, 0, -1]);
  });

  it('samples past the budget at the rate', () => {
    const draws = [0.5, 0.005, 0.5];
    let next = 0;
    const budget = createClientErrorBudget({
      perSecond: 1,
      sampleRate: 0.01,
      now: () => 0,
      random: () => draws[next++] as number,
    });
    expect([budget.take(), budget.take(), budget.take(), budget.take()]).toEqual([0, -1, 1, -1]);
  });

  it('with a budget of 0 and a rate of 0 logs no client error', () => {
    const budget = createClientErrorBudget({ perSecond: 0, sampleRate: 0 });
    expect([budget.take(), budget.take()]).toEqual([-1, -1]);
  });
});
