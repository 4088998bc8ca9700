import type { EventStore } from '../../src/store/event-store';
import { startTestServer, type TestServer, type TestServerOptions } from './test-server';

export interface TestServerFixtureOptions<S extends EventStore> extends Omit<TestServerOptions, 'store'> {
  /** Makes the server's store, afresh for each server; the fixture closes it after the server. */
  store?: () => S;
}

/** What a test reads once the fixture's hooks have run. */
export interface TestServerFixture<S extends EventStore> {
  readonly server: TestServer;
  /** The store `options.store` made for the current server. */
  readonly store: S;
}

/**
 * Registers hooks that start a test server (see `startTestServer`) before the block's tests and
 * close it, and the store it made, after them, whether the tests passed or not. `perTest` starts
 * one for each test (beforeEach/afterEach) instead of one for the block (beforeAll/afterAll).
 * `options` may be a function, called in the hook, when it needs what an earlier hook made.
 */
export function withTestServer<S extends EventStore = EventStore>(
  options: TestServerFixtureOptions<S> | (() => TestServerFixtureOptions<S>) = {},
  { perTest = false }: { perTest?: boolean } = {},
): TestServerFixture<S> {
  let current: { server: TestServer; store: S | undefined } | undefined;
  const [before, after] = perTest ? [beforeEach, afterEach] : [beforeAll, afterAll];
  before(async () => {
    const { store: makeStore, ...rest } = typeof options === 'function' ? options() : options;
    const store = makeStore?.();
    try {
      current = { server: await startTestServer({ ...rest, store }), store };
    } catch (error) {
      await store?.close();
      throw error;
    }
  });
  after(async () => {
    const started = current;
    current = undefined;
    try {
      await started?.server.close();
    } finally {
      await started?.store?.close();
    }
  });
  return {
    get server() {
      if (current === undefined) throw new Error('withTestServer: no server outside its hooks');
      return current.server;
    },
    get store() {
      if (current?.store === undefined) throw new Error('withTestServer: no store (pass options.store)');
      return current.store;
    },
  };
}
