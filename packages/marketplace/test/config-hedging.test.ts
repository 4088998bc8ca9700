import { ConfigError } from '@bookstore/service-kit';
import { loadConfig } from '../src/config';

/** The problems loadConfig reports for `env`, or [] when it loads. */
function problems(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('RECOMMENDATIONS_HEDGING_DELAY_MS (config.ts)', () => {
  it('defaults to 25 ms, near the p95 of a healthy call in a busy pod (bench/hedging-delay.js); 0 is off', () => {
    expect(loadConfig({}).recommendationsHedgingDelayMs).toBe(25);
    expect(loadConfig({ RECOMMENDATIONS_HEDGING_DELAY_MS: '0' }).recommendationsHedgingDelayMs).toBe(0);
    expect(loadConfig({ RECOMMENDATIONS_HEDGING_DELAY_MS: '40' }).recommendationsHedgingDelayMs).toBe(40);
  });

  it('must be below the deadline: a hedge sent after it could never answer', () => {
    expect(problems({ RECOMMENDATIONS_HEDGING_DELAY_MS: '300' })).toEqual([
      'RECOMMENDATIONS_HEDGING_DELAY_MS (300) must be below RECOMMENDATIONS_TIMEOUT_MS (300); 0 turns hedging off',
    ]);
    expect(problems({ RECOMMENDATIONS_HEDGING_DELAY_MS: '300', RECOMMENDATIONS_TIMEOUT_MS: '1000' })).toEqual([]);
    expect(problems({ RECOMMENDATIONS_HEDGING_DELAY_MS: 'soon' })).toEqual([
      'RECOMMENDATIONS_HEDGING_DELAY_MS must be an integer from 0 to 60000 (got "soon")',
    ]);
  });
});
