import type { RecommendationServiceServer } from '@bookstore/contracts';
import { status as Status } from '@grpc/grpc-js';
import { constants, createServer } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { UNAVAILABLE_CODES } from '../../src/recommendations/client';
import { type FakeRecommendations, startFakeRecommendations, statusError } from '../support/fake-recommendations';
import { buildTestApp, html, type TestApp } from '../support/test-app';

/** Both methods answer `code`, with details a user must never see. */
const answering = (code: Status): Partial<RecommendationServiceServer> => ({
  recommend: (_call, callback) => callback(statusError(code, `secret details of ${Status[code]}`)),
  listBooks: (call) => call.emit('error', statusError(code, `secret details of ${Status[code]}`)),
});

const PAGES = ['/', '/books'];
const API = ['/api/v1/recommendations', '/api/v1/books'];
/** A request id that names the URL it was sent with. */
const idOf = (url: string) => `id-${url.replace(/\W/g, '.')}`;

/** Runs `check` against the app in front of a fake built with `handlers`, closing both after. */
async function withFake(
  handlers: Partial<RecommendationServiceServer>,
  check: (t: TestApp, server: FakeRecommendations) => Promise<void>,
  timeoutMs = 1000,
) {
  const server = await startFakeRecommendations({ handlers });
  const t = await buildTestApp({ address: server.address, timeoutMs });
  try {
    await check(t, server);
  } finally {
    await t.close();
    await server.stop();
  }
}

/** Pages degrade, the API answers 503, and one warning per request carries its id and the code. */
async function expectUnavailable(t: TestApp, code: string) {
  for (const url of PAGES) {
    const response = await t.app.inject({ url, headers: { 'x-request-id': idOf(url) } });
    expect([url, response.statusCode]).toEqual([url, 200]);
    const main = html(response.body).querySelector('main');
    expect(main?.text).toContain('unavailable');
    expect(main?.querySelectorAll('li.book')).toHaveLength(0);
    expect(response.body).not.toContain('secret');
  }
  for (const url of API) {
    const response = await t.app.inject({ url, headers: { 'x-request-id': idOf(url) } });
    expect([url, response.statusCode, response.headers['retry-after']]).toEqual([url, 503, '5']);
    expect(response.json()).toEqual({
      statusCode: 503,
      error: 'Service Unavailable',
      message: 'Recommendations are unavailable; retry later.',
    });
  }
  const warnings = t.logs.filter((l) => l.grpcCode !== undefined);
  expect(warnings.map((w) => [w.level, w.reqId, w.grpcCode])).toEqual(
    [...PAGES, ...API].map((url) => [40, idOf(url), code]),
  );
}

describe('the failure policy (recommendations/client.ts)', () => {
  it('counts exactly UNAVAILABLE, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED and CANCELLED as unavailable', () => {
    expect([...UNAVAILABLE_CODES].map((code) => Status[code]).sort()).toEqual([
      'CANCELLED',
      'DEADLINE_EXCEEDED',
      'RESOURCE_EXHAUSTED',
      'UNAVAILABLE',
    ]);
  });

  it.each(['UNAVAILABLE', 'DEADLINE_EXCEEDED', 'RESOURCE_EXHAUSTED', 'CANCELLED'] as const)(
    'a server answering %s: pages degrade, the API answers 503, logged at warn with the request id',
    async (name) => {
      await withFake(answering(Status[name]), (t) => expectUnavailable(t, name));
    },
  );

  it('nothing listening: UNAVAILABLE, the same answers', async () => {
    const t = await buildTestApp({ address: '127.0.0.1:1', timeoutMs: 300 });
    try {
      await expectUnavailable(t, 'UNAVAILABLE');
    } finally {
      await t.close();
    }
  });

  it('a server that does not answer within the timeout: DEADLINE_EXCEEDED, the same answers', async () => {
    // Handlers that never answer: the client's own deadline (200 ms) ends every call.
    await withFake(
      { recommend: () => undefined, listBooks: () => undefined },
      (t) => expectUnavailable(t, 'DEADLINE_EXCEEDED'),
      200,
    );
  });

  it('a server that resets every stream (no gRPC status): unavailable, the same answers', async () => {
    // A session torn down mid-call looks like this to the client: grpc-js says INTERNAL,
    // "Received RST_STREAM with code 2", but the server never answered.
    const server = createServer();
    server.on('stream', (stream) => {
      // Closing with an error code also emits it on the server's own stream.
      stream.on('error', () => undefined);
      stream.close(constants.NGHTTP2_INTERNAL_ERROR);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const t = await buildTestApp({ address: `127.0.0.1:${(server.address() as AddressInfo).port}` });
    try {
      await expectUnavailable(t, 'INTERNAL');
    } finally {
      await t.close();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it.each(['INVALID_ARGUMENT', 'NOT_FOUND', 'UNIMPLEMENTED', 'INTERNAL', 'UNKNOWN', 'PERMISSION_DENIED'] as const)(
    'a server answering %s: a generic 500 (page and API), logged once at error with the request id',
    async (name) => {
      await withFake(answering(Status[name]), async (t) => {
        for (const url of [...PAGES, ...API]) {
          const response = await t.app.inject({ url, headers: { 'x-request-id': idOf(url) } });
          expect([url, response.statusCode]).toEqual([url, 500]);
          expect(response.body).not.toContain('secret');
          if (url.startsWith('/api/')) {
            expect(response.json()).toEqual({
              statusCode: 500,
              error: 'Internal Server Error',
              message: 'The page could not be shown. Please try again in a moment.',
            });
          } else {
            expect(html(response.body).querySelector('h1')?.text).toBe('Something went wrong');
          }
        }
        const errors = t.logs.filter((l) => l.level === 50);
        expect(errors.map((l) => [l.reqId, (l.err as { code: number }).code])).toEqual(
          [...PAGES, ...API].map((url) => [idOf(url), Status[name]]),
        );
        expect(String((errors[0]?.err as { message: string }).message)).toContain(name);
        expect(t.logs.filter((l) => l.level === 40)).toEqual([]);
      });
    },
  );
});
