import { status as Status } from '@grpc/grpc-js';
import { Registry } from 'prom-client';
import { observedHedging } from '../../src/observability/hedging-metrics';

/** The value of a metric without labels, from the registry's own exposition. */
async function value(registry: Registry, name: string): Promise<number | undefined> {
  const line = (await registry.metrics()).split('\n').find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.split(' ')[1]);
}

describe('hedging metrics (observability/hedging-metrics.ts)', () => {
  it('shows hedging on, then off with the suppressed calls counted once the budget is spent', async () => {
    const registry = new Registry();
    const hedging = observedHedging(25, registry);
    expect(await value(registry, 'marketplace_hedging_enabled')).toBe(1);
    expect(await value(registry, 'marketplace_hedges_suppressed_total')).toBe(0);
    for (let i = 0; i < 5; i += 1) hedging?.budget.record(Status.UNAVAILABLE);
    hedging?.onSuppressed?.();
    expect(await value(registry, 'marketplace_hedging_enabled')).toBe(0);
    expect(await value(registry, 'marketplace_hedges_suppressed_total')).toBe(1);
    hedging?.budget.record(Status.OK);
    expect(await value(registry, 'marketplace_hedging_enabled')).toBe(1);
  });

  it('with RECOMMENDATIONS_HEDGING_DELAY_MS=0: no hedging options, and the gauge says 0', async () => {
    const registry = new Registry();
    expect(observedHedging(0, registry)).toBeUndefined();
    expect(await value(registry, 'marketplace_hedging_enabled')).toBe(0);
  });
});
