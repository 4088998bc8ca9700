import { BookCategory, RecommendationServiceClient } from '@bookstore/contracts';
import { credentials, Metadata } from '@grpc/grpc-js';
import { connect, type ClientHttp2Session } from 'node:http2';
import { eventually, imageEnv, openFds, watchRss } from './support/hostile';
import { rssMb } from '@bookstore/test-support';
import { startService, type ServiceProcess } from './support/processes';

jest.setTimeout(60_000);

const LIST_BOOKS = '/bookstore.recommendations.v1.RecommendationService/ListBooks';
/** 75 % of the pod's 192 Mi limit (k8s/recommendations.yaml), as docs/reliability.md asks. */
const RSS_LIMIT_MB = 0.75 * 192 * 1.048576;

/**
 * `connections` HTTP/2 connections that grant the server no flow-control window at all and open
 * `streams` ListBooks calls each: the server can never send a book. Resolves once every stream
 * was answered with headers (the call is open), refused, or closed.
 */
async function stalledStreams(port: number, connections: number, streams: number) {
  const sessions: ClientHttp2Session[] = [];
  const outcomes = { open: 0, refused: 0, ended: 0 };
  const settled: Promise<void>[] = [];
  for (let c = 0; c < connections; c += 1) {
    const session = connect(`http://127.0.0.1:${port}`, { settings: { initialWindowSize: 0 } });
    session.on('error', () => undefined);
    sessions.push(session);
    for (let s = 0; s < streams; s += 1) {
      const stream = session.request({
        ':method': 'POST',
        ':path': LIST_BOOKS,
        'content-type': 'application/grpc',
        te: 'trailers',
      });
      stream.on('error', () => undefined);
      stream.pause();
      stream.end(Buffer.alloc(5)); // an empty ListBooksRequest: the whole catalog
      settled.push(
        new Promise((resolve) => {
          stream.once('response', (headers) => {
            // A trailers-only answer (RESOURCE_EXHAUSTED) carries grpc-status in these headers.
            if (headers['grpc-status'] === undefined) outcomes.open += 1;
            else outcomes.ended += 1;
            resolve();
          });
          stream.once('close', () => {
            if (stream.rstCode !== undefined && stream.rstCode !== 0) outcomes.refused += 1;
            resolve();
          });
        }),
      );
    }
  }
  await Promise.all(settled);
  return { outcomes, leave: () => sessions.forEach((session) => session.destroy()) };
}

describe('recommendations against stalled ListBooks streams, as shipped (issue 18, item 5)', () => {
  let service: ServiceProcess;
  let user: RecommendationServiceClient;

  beforeAll(async () => {
    service = await startService('recommendations', imageEnv('recommendations'));
    user = new RecommendationServiceClient(`127.0.0.1:${service.port}`, credentials.createInsecure());
  });
  afterAll(async () => {
    user.close();
    await service.stop();
  });

  /** A Recommend call within the marketplace's 300 ms deadline, on the user's long-lived channel. */
  const userProblem = () =>
    new Promise<string>((resolve) =>
      user.recommend(
        { userId: 1, category: BookCategory.BOOK_CATEGORY_MYSTERY, maxResults: 3 },
        new Metadata(),
        { deadline: Date.now() + 300 },
        (error, response) =>
          resolve(error ? `Recommend: ${error.message}` : response.recommendations.length === 3 ? '' : 'wrong answer'),
      ),
    );

  it('100 connections × 100 streams with a zero window: RSS stays under 75 % of the pod limit, users served', async () => {
    const pid = service.child.pid as number;
    expect(await userProblem()).toBe('');
    const before = { rss: rssMb(pid), fds: openFds(pid) };
    const rss = watchRss(pid);
    const attack = await stalledStreams(service.port, 100, 100);
    const during = await userProblem();
    const peakDuring = rss.peak();
    attack.leave();
    const fdsBack = await eventually(() => openFds(pid) <= before.fds + 2, 5000);
    rss.stop();
    const after = { rss: rssMb(pid), user: await userProblem() };
    process.stdout.write(
      `stalled streams: ${JSON.stringify({ before, outcomes: attack.outcomes, peakDuring, peak: rss.peak(), during, after })}\n`,
    );
    // Every stream got an answer of some kind: the attack really ran.
    const { open, refused, ended } = attack.outcomes;
    expect(open + refused + ended).toBe(10_000);
    // MAX_CONCURRENT_STREAMS 16 refuses most streams at the HTTP/2 layer, where they cost nothing;
    // MAX_LIST_BOOKS_STREAMS 64 ends most of the rest at once. Before: 79 -> 367 MB.
    expect(refused).toBeGreaterThan(5000);
    expect(open).toBeLessThanOrEqual(64);
    expect(rss.peak()).toBeLessThan(RSS_LIMIT_MB);
    expect(during).toBe('');
    expect(after.user).toBe('');
    expect(fdsBack).toBe(true);
  });
});
