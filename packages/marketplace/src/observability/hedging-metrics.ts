import { Counter, Gauge, type Registry } from 'prom-client';
import { createHedgeBudget } from '../recommendations/hedge-budget';
import type { HedgingOptions } from '../recommendations/channels';

/**
 * Hedging of Recommend and GetBook as `main` wires it, observed in `registry`:
 * `marketplace_hedging_enabled` (1 while the budget allows hedging, 0 while it is spent or
 * hedging is configured off) and `marketplace_hedges_suppressed_total` (calls sent unhedged
 * because the budget was spent). Undefined when `delayMs` is 0 (hedging off).
 */
export function observedHedging(delayMs: number, registry: Registry): HedgingOptions | undefined {
  const enabled = new Gauge({
    name: 'marketplace_hedging_enabled',
    help: 'Whether calls to Recommend are hedged now: 1, or 0 while the hedge budget is spent or hedging is off.',
    registers: [registry],
  });
  const suppressed = new Counter({
    name: 'marketplace_hedges_suppressed_total',
    help: 'Hedgeable calls sent without hedging because the hedge budget was spent (Recommendations failing).',
    registers: [registry],
  });
  enabled.set(delayMs > 0 ? 1 : 0);
  if (delayMs === 0) return undefined;
  return {
    delayMs,
    budget: createHedgeBudget({ onChange: (hedging) => enabled.set(hedging ? 1 : 0) }),
    onSuppressed: () => suppressed.inc(),
  };
}
