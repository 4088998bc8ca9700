import { loadConfig } from '../../src/config';

describe('the HTTP limits in the config', () => {
  it('has a bound for every limit by default, the headers timeout inside the request timeout', () => {
    const { http } = loadConfig({});
    expect(http).toEqual({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 15_000,
      keepAliveTimeoutMs: 10_000,
      idleTimeoutMs: 30_000,
      timeoutCheckIntervalMs: 1000,
      maxConnections: 1000,
      maxPipelinedRequests: 16,
      bodyLimitBytes: 1024,
    });
    expect(http.headersTimeoutMs).toBeLessThan(http.requestTimeoutMs);
  });

  it('reads HTTP_MAX_CONNECTIONS and HTTP_KEEP_ALIVE_TIMEOUT_MS, and rejects values out of range', () => {
    const { http } = loadConfig({ HTTP_MAX_CONNECTIONS: '50', HTTP_KEEP_ALIVE_TIMEOUT_MS: '5000' });
    expect([http.maxConnections, http.keepAliveTimeoutMs]).toEqual([50, 5000]);
    expect(() => loadConfig({ HTTP_MAX_CONNECTIONS: '0', HTTP_KEEP_ALIVE_TIMEOUT_MS: 'soon' })).toThrow(
      /HTTP_MAX_CONNECTIONS[\s\S]*HTTP_KEEP_ALIVE_TIMEOUT_MS|HTTP_KEEP_ALIVE_TIMEOUT_MS[\s\S]*HTTP_MAX_CONNECTIONS/,
    );
  });
});
