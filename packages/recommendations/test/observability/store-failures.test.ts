import pino from 'pino';
import { createStoreFailureReporter } from '../../src/observability/store-failures';

describe('the store failure reporter', () => {
  it('counts every degraded answer but logs at most once a minute per operation, with what it left out', () => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino({}, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
    const degraded: string[] = [];
    let now = 0;
    const reporter = createStoreFailureReporter({
      logger,
      metrics: { countDegraded: (operation) => degraded.push(operation) },
      now: () => now,
    });
    const recommend = reporter.forOperation('recommend', { degraded: true });
    const record = reporter.forOperation('record_events', { degraded: false });
    for (let i = 0; i < 5; i += 1) recommend(new Error('down'));
    record(new Error('down'));
    now = 59_999;
    recommend(new Error('down'));
    now = 60_000;
    recommend(new Error('still down'));

    expect(degraded).toEqual(Array(7).fill('recommend'));
    expect(
      lines.map(({ operation, unloggedSinceLastLine, msg }) => ({ operation, unloggedSinceLastLine, msg })),
    ).toEqual([
      { operation: 'recommend', unloggedSinceLastLine: 0, msg: 'event store failed or slow: answering without it' },
      { operation: 'record_events', unloggedSinceLastLine: 0, msg: 'event store failed' },
      { operation: 'recommend', unloggedSinceLastLine: 5, msg: 'event store failed or slow: answering without it' },
    ]);
  });
});
