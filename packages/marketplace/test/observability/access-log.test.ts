import { loadConfig } from '../../src/config';
import { type FakeRecommendations, startFakeRecommendations } from '../support/fake-recommendations';
import { buildTestApp, type TestApp } from '../support/test-app';

const completed = (t: TestApp) => t.logs.filter((l) => l.msg === 'request completed').map((l) => l.reqId);

/** GET `url` with `x-request-id: id`; resolves with the status code. */
async function get(t: TestApp, url: string, id: string) {
  return (await t.app.inject({ url, headers: { 'x-request-id': id } })).statusCode;
}

describe('which requests the access log keeps', () => {
  let server: FakeRecommendations;
  beforeAll(async () => {
    server = await startFakeRecommendations();
  });
  afterAll(() => server.stop());

  it('at rate 0 still logs client errors, but no fast success', async () => {
    const t = await buildTestApp({ address: server.address, env: { ACCESS_LOG_SAMPLE_RATE: '0' } });
    try {
      expect(await get(t, '/', 'page')).toBe(200);
      expect(await get(t, '/nope', 'missing')).toBe(404);
      expect(await get(t, '/?category=poetry', 'bad-query')).toBe(400);
      // Unless the machine is so loaded that the page took ACCESS_LOG_SLOW_MS (250 ms).
      const page = t.logs.find((l) => l.reqId === 'page');
      if (page !== undefined) expect(page.durationMs).toBeGreaterThanOrEqual(250);
      expect(completed(t).filter((id) => id !== 'page')).toEqual(['missing', 'bad-query']);
    } finally {
      await t.close();
    }
  });

  it('at rate 1 logs every request', async () => {
    const t = await buildTestApp({ address: server.address, env: { ACCESS_LOG_SAMPLE_RATE: '1' } });
    try {
      for (const id of ['a', 'b', 'c']) expect(await get(t, '/books', id)).toBe(200);
      expect(completed(t)).toEqual(['a', 'b', 'c']);
    } finally {
      await t.close();
    }
  });

  it('between 0 and 1 logs the successes whose draw falls below the rate', async () => {
    const draws = [0.5, 0.05, 0.95, 0.24];
    let next = 0;
    const t = await buildTestApp({
      address: server.address,
      env: { ACCESS_LOG_SAMPLE_RATE: '0.25' },
      random: () => draws[next++ % draws.length] as number,
    });
    try {
      for (const id of ['a', 'b', 'c', 'd']) await get(t, '/', id);
      await get(t, '/nope', 'missing');
      expect(completed(t)).toEqual(['b', 'd', 'missing']);
      expect(next).toBe(4);
    } finally {
      await t.close();
    }
  });
});

describe('what a client controls in the access log (issue 25)', () => {
  let server: FakeRecommendations;
  beforeAll(async () => {
    server = await startFakeRecommendations();
  });
  afterAll(() => server.stop());

  it('cuts the URL to 256 characters and says how long it was', async () => {
    const t = await buildTestApp({ address: server.address });
    try {
      const url = `/${'a'.repeat(1500)}`;
      expect(await get(t, url, 'long')).toBe(404);
      expect(t.logs.find((l) => l.reqId === 'long')).toMatchObject({ url: url.slice(0, 256), urlLength: 1501 });
      expect(await get(t, '/nope', 'short')).toBe(404);
      expect(t.logs.find((l) => l.reqId === 'short')).not.toHaveProperty('urlLength');
    } finally {
      await t.close();
    }
  });

  it('logs ACCESS_LOG_CLIENT_ERRORS_PER_SECOND client errors a second, the rest sampled', async () => {
    const t = await buildTestApp({
      address: server.address,
      env: { ACCESS_LOG_SAMPLE_RATE: '0', ACCESS_LOG_CLIENT_ERRORS_PER_SECOND: '2' },
    });
    try {
      for (let i = 0; i < 30; i += 1) expect(await get(t, '/nope', `missing-${i}`)).toBe(404);
      const lines = completed(t).length;
      // 2 a second: 30 requests in-process take well under a second, two if the clock ticks.
      expect(lines).toBeGreaterThanOrEqual(2);
      expect(lines).toBeLessThanOrEqual(4);
    } finally {
      await t.close();
    }
  });
});

describe('a slow page', () => {
  it('is logged at rate 0 once it takes ACCESS_LOG_SLOW_MS', async () => {
    let delayMs = 0;
    const slow = await startFakeRecommendations({
      handlers: {
        recommend: (_call, callback) =>
          setTimeout(
            () =>
              callback(null, {
                recommendations: [{ id: 1, title: 'Slow Book', becauseOfBookId: 0, becauseOfTitle: '' }],
              }),
            delayMs,
          ),
      },
    });
    const t = await buildTestApp({
      address: slow.address,
      env: { ACCESS_LOG_SAMPLE_RATE: '0', ACCESS_LOG_SLOW_MS: '50' },
    });
    try {
      expect(await get(t, `/?category=mystery`, 'fast')).toBe(200);
      delayMs = 80;
      expect(await get(t, `/?category=mystery`, 'slow')).toBe(200);
      const fast = t.logs.find((l) => l.reqId === 'fast');
      if (fast !== undefined) expect(fast.durationMs).toBeGreaterThanOrEqual(50);
      expect(completed(t).filter((id) => id !== 'fast')).toEqual(['slow']);
      expect(t.logs.find((l) => l.reqId === 'slow')?.durationMs).toBeGreaterThanOrEqual(50);
    } finally {
      await t.close();
      await slow.stop();
    }
  });
});

describe('the access-log settings', () => {
  it('default to errors, pages over 250 ms and 1 in 100 of the rest', () => {
    expect(loadConfig({}).accessLog).toEqual({ slowMs: 250, sampleRate: 0.01 });
    expect(loadConfig({}).accessLogClientErrorsPerSecond).toBe(10);
  });

  it('refuse a rate outside 0..1 with a message naming it', () => {
    expect(() => loadConfig({ ACCESS_LOG_SAMPLE_RATE: '1%' })).toThrow(
      'ACCESS_LOG_SAMPLE_RATE must be a number from 0 to 1, such as 0.01 (got "1%")',
    );
  });
});
