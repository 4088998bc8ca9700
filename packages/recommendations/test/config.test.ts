import { ConfigError } from '@bookstore/service-kit';
import { loadConfig } from '../src/config';

describe('the event store settings', () => {
  it('default to the embedded store, 32 RecordEvents streams and a 50 ms read budget', () => {
    expect(loadConfig({})).toMatchObject({
      storeUrl: undefined,
      maxRecordEventsStreams: 32,
      storeReadTimeoutMs: 50,
    });
  });

  it.each(['redis://localhost:6379', 'rediss://user:secret@valkey.example:6380/2', 'REDIS://valkey:6379'])(
    'take STORE_URL %s',
    (url) => {
      expect(loadConfig({ STORE_URL: url }).storeUrl).toBe(url);
    },
  );

  it('refuse any other scheme in one message that does not repeat the URL (it may hold a password)', () => {
    let error: unknown;
    try {
      loadConfig({
        STORE_URL: 'valkey://:hunter2@valkey:6379',
        MAX_RECORD_EVENTS_STREAMS: '0',
        STORE_READ_TIMEOUT_MS: 'x',
      });
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const { problems } = error as ConfigError;
    expect(problems).toEqual([
      'MAX_RECORD_EVENTS_STREAMS must be an integer from 1 to 100000 (got "0")',
      'STORE_READ_TIMEOUT_MS must be an integer from 1 to 60000 (got "x")',
      'STORE_URL must start with redis:// or rediss:// (unset: the embedded store)',
    ]);
    expect(String((error as Error).message)).not.toContain('hunter2');
  });
});
