import { BookCategory, RECOMMENDATION_SERVICE_NAME, RecommendationServiceClient } from '@bookstore/contracts';
import { credentials, Metadata } from '@grpc/grpc-js';
import { connect, type ClientHttp2Session } from 'node:http2';
import { withTestServer } from './support/with-test-server';

/**
 * `count` HTTP/2 connections that send nothing after the preface; resolves once the server has
 * answered each with its SETTINGS (accepted) or closed it (over the cap).
 */
async function idleSessions(address: string, count: number): Promise<ClientHttp2Session[]> {
  const sessions = Array.from({ length: count }, () => {
    const session = connect(`http://${address}`);
    session.on('error', () => undefined);
    return session;
  });
  await Promise.all(
    sessions.map((s) => new Promise((resolve) => s.once('remoteSettings', resolve).once('close', resolve))),
  );
  return sessions;
}

const isClosed = (s: ClientHttp2Session) => s.closed || s.destroyed;
const RECOMMEND = `/${RECOMMENDATION_SERVICE_NAME}/Recommend`;

describe('MAX_CONNECTIONS', () => {
  const t = withTestServer({ env: { MAX_CONNECTIONS: '20' } });

  it('holds at most the cap; a new client gets in on a retry by closing the oldest idle ones, never one with a call', async () => {
    // The oldest connection has a call in progress: a Watch of a known name stays open.
    const busy = await idleSessions(t.server.address, 1);
    const watch = busy[0]!.request({
      ':method': 'POST',
      ':path': '/grpc.health.v1.Health/Watch',
      'content-type': 'application/grpc',
      te: 'trailers',
    });
    watch.on('error', () => undefined);
    const name = Buffer.from('readiness');
    watch.end(Buffer.concat([Buffer.from([0, 0, 0, 0, name.length + 2, 0x0a, name.length]), name]));
    await new Promise((resolve) => watch.once('response', resolve));

    const flood = await idleSessions(t.server.address, 40);
    const held = flood.filter((s) => !isClosed(s)).length;
    expect(held).toBeLessThanOrEqual(19);

    // A new client (a marketplace reconnecting): its first connection is dropped, which closes
    // the oldest idle ones; it retries as the marketplace's next page would.
    const user = new RecommendationServiceClient(t.server.address, credentials.createInsecure());
    const call = () =>
      new Promise<string>((resolve) =>
        user.recommend(
          { userId: 1, category: BookCategory.BOOK_CATEGORY_MYSTERY, maxResults: 3 },
          new Metadata(),
          { deadline: Date.now() + 1000 },
          (error, response) => resolve(error ? error.message : `${response.recommendations.length} books`),
        ),
      );
    const answers: string[] = [];
    try {
      for (let i = 0; i < 4 && answers.at(-1) !== '3 books'; i += 1) {
        await new Promise((resolve) => user.waitForReady(Date.now() + 8000, resolve));
        answers.push(await call());
      }
    } finally {
      user.close();
    }
    expect(answers.at(-1)).toBe('3 books');
    expect(flood.filter((s) => !isClosed(s)).length).toBeLessThan(held);
    expect(isClosed(busy[0]!)).toBe(false);
    for (const s of [...busy, ...flood]) s.destroy();
  }, 20_000);
});

describe('MAX_CONNECTIONS, every connection busy', () => {
  const t = withTestServer({ env: { MAX_CONNECTIONS: '20' } });

  it('closes the connections holding the most calls open over a second; one with a single long call stays', async () => {
    // One connection with a single long call (a health Watch), opened first: the oldest.
    const [watcher] = await idleSessions(t.server.address, 1);
    const watch = watcher!.request({
      ':method': 'POST',
      ':path': '/grpc.health.v1.Health/Watch',
      'content-type': 'application/grpc',
      te: 'trailers',
    });
    watch.on('error', () => undefined);
    const name = Buffer.from('readiness');
    watch.end(Buffer.concat([Buffer.from([0, 0, 0, 0, name.length + 2, 0x0a, name.length]), name]));
    await new Promise((resolve) => watch.once('response', resolve));
    // The rest of the cap: 4 Recommend calls each whose request never ends, without a deadline.
    const busy = await idleSessions(t.server.address, 19);
    for (const session of busy) {
      for (let i = 0; i < 4; i += 1) {
        const stream = session.request(
          { ':method': 'POST', ':path': RECOMMEND, 'content-type': 'application/grpc', te: 'trailers' },
          { endStream: false },
        );
        stream.on('error', () => undefined);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 1500)); // the calls now count as stalled

    const user = new RecommendationServiceClient(t.server.address, credentials.createInsecure());
    try {
      const ready = await new Promise<Error | undefined>((resolve) => user.waitForReady(Date.now() + 8000, resolve));
      expect(ready).toBeUndefined();
      const answer = await new Promise<string>((resolve) =>
        user.recommend(
          { userId: 1, category: BookCategory.BOOK_CATEGORY_MYSTERY, maxResults: 3 },
          new Metadata(),
          { deadline: Date.now() + 1000 },
          (error, response) => resolve(error ? error.message : `${response.recommendations.length} books`),
        ),
      );
      expect(answer).toBe('3 books');
    } finally {
      user.close();
    }
    // A tenth of the cap (2) closed, from the connections with 4 stalled calls; the watcher kept.
    expect(busy.filter(isClosed).length).toBe(2);
    expect(isClosed(watcher!)).toBe(false);
    for (const s of [watcher!, ...busy]) s.destroy();
  }, 20_000);
});
