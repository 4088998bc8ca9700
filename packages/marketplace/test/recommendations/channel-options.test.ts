import { RECOMMENDATION_SERVICE_NAME } from '@bookstore/contracts';
import { experimental } from '@grpc/grpc-js';
import { OUTLIER_DETECTION, recommendationsServiceConfig } from '../../src/recommendations/channel-options';

type MethodConfig = { name: { service: string; method: string }[]; retryPolicy?: object; hedgingPolicy?: object };

/** The policy each method gets, by name: 'hedged', 'retried' or 'none'. */
function policies(config: object): Record<string, string> {
  const entries = (config as { methodConfig: MethodConfig[] }).methodConfig.flatMap((entry) =>
    entry.name.map((name) => {
      expect(name.service).toBe(RECOMMENDATION_SERVICE_NAME);
      const policy = entry.hedgingPolicy ? 'hedged' : entry.retryPolicy ? 'retried' : 'none';
      return [name.method, policy] as const;
    }),
  );
  return Object.fromEntries(entries);
}

describe('the service config (recommendations/channel-options.ts)', () => {
  it('hedges the unary read-only methods, retries ListBooks, and leaves the streams with side effects alone', () => {
    expect(policies(recommendationsServiceConfig(5))).toEqual({
      Recommend: 'hedged',
      GetBook: 'hedged',
      ListBooks: 'retried',
      RecordEvents: 'none',
      ImportEvents: 'none',
    });
    const [hedged] = (recommendationsServiceConfig(5) as { methodConfig: MethodConfig[] }).methodConfig;
    expect(hedged?.hedgingPolicy).toEqual({
      maxAttempts: 2,
      hedgingDelay: '0.005s',
      nonFatalStatusCodes: ['UNAVAILABLE', 'RESOURCE_EXHAUSTED'],
    });
  });

  it('without a hedging delay (the second channel, or hedging off) retries every read-only method', () => {
    expect(policies(recommendationsServiceConfig())).toEqual({
      Recommend: 'retried',
      GetBook: 'retried',
      ListBooks: 'retried',
      RecordEvents: 'none',
      ImportEvents: 'none',
    });
  });

  // grpc-js falls back to its default policy (pick_first, no ejection) when this config does not
  // parse, without an error: a call would still succeed, so the parse is checked here directly.
  it('grpc-js parses the outlier_detection config as written, child policy round_robin', () => {
    const parsed = experimental.parseLoadBalancingConfig({ outlier_detection: OUTLIER_DETECTION });
    expect(parsed.getLoadBalancerName()).toBe('outlier_detection');
    expect(parsed.toJsonObject()).toEqual({
      outlier_detection: {
        interval: { seconds: 1, nanos: 0 },
        base_ejection_time: { seconds: 5, nanos: 0 },
        max_ejection_time: { seconds: 30, nanos: 0 },
        max_ejection_percent: 33,
        success_rate_ejection: undefined,
        failure_percentage_ejection: {
          threshold: 40,
          enforcement_percentage: 100,
          minimum_hosts: 3,
          request_volume: 10,
        },
        child_policy: [{ round_robin: {} }],
      },
    });
  });

  it('grpc-js rejects durations written as strings here, which is why they are {seconds, nanos}', () => {
    expect(() =>
      experimental.parseLoadBalancingConfig({ outlier_detection: { ...OUTLIER_DETECTION, interval: '1s' } }),
    ).toThrow(/interval parse error: expected Duration/);
  });
});
