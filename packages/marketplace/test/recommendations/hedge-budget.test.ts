import { status as Status } from '@grpc/grpc-js';
import { createHedgeBudget } from '../../src/recommendations/hedge-budget';

describe('the hedge budget (recommendations/hedge-budget.ts)', () => {
  it('allows hedging while more than half of its 10 tokens are left: 5 failed calls spend it', () => {
    const changes: boolean[] = [];
    const budget = createHedgeBudget({ onChange: (hedging) => changes.push(hedging) });
    const allowed = [];
    for (let i = 0; i < 6; i += 1) {
      allowed.push(budget.allowsHedging());
      budget.record(Status.UNAVAILABLE);
    }
    expect(allowed).toEqual([true, true, true, true, true, false]);
    expect(budget.tokens).toBe(4);
    expect(changes).toEqual([false]);
  });

  it('comes back after enough successes: 0.1 a call, so 10 successes give back one token', () => {
    const changes: boolean[] = [];
    const budget = createHedgeBudget({ onChange: (hedging) => changes.push(hedging) });
    for (let i = 0; i < 6; i += 1) budget.record(Status.DEADLINE_EXCEEDED);
    for (let i = 0; i < 10; i += 1) budget.record(Status.OK);
    expect([budget.tokens, budget.allowsHedging()]).toEqual([5, false]);
    budget.record(Status.OK);
    expect([budget.tokens, budget.allowsHedging()]).toEqual([5.1, true]);
    expect(changes).toEqual([false, true]);
  });

  it('counts RESOURCE_EXHAUSTED as a failure, answers such as INTERNAL as neither, and never exceeds 10', () => {
    const budget = createHedgeBudget();
    budget.record(Status.OK);
    expect(budget.tokens).toBe(10);
    budget.record(Status.RESOURCE_EXHAUSTED);
    for (const code of [Status.INTERNAL, Status.INVALID_ARGUMENT, Status.NOT_FOUND, Status.CANCELLED])
      budget.record(code);
    expect(budget.tokens).toBe(9);
  });

  it('never goes below 0, so recovery takes at most maxTokens / 2 / tokenRatio successes', () => {
    const budget = createHedgeBudget({ maxTokens: 4, tokenRatio: 0.5 });
    for (let i = 0; i < 100; i += 1) budget.record(Status.UNAVAILABLE);
    expect(budget.tokens).toBe(0);
    for (let i = 0; i < 5; i += 1) budget.record(Status.OK);
    expect(budget.allowsHedging()).toBe(true);
  });
});
