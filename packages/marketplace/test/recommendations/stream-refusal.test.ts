import {
  BookCategory,
  RecommendResponse,
  RecommendationServiceClient,
  type RecommendResponse as Answer,
} from '@bookstore/contracts';
import { credentials, Metadata, type ServiceError, status as Status } from '@grpc/grpc-js';
import { once } from 'node:events';
import { constants, createServer, type Http2Server, type ServerHttp2Stream } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { recommendationsChannelOptions } from '../../src/recommendations/channel-options';

const ANSWER: Answer = RecommendResponse.fromPartial({
  recommendations: [{ id: 101, title: 'The Moonstone' }],
});

/**
 * A gRPC server written on node:http2 alone, so that it can do what Node's HTTP/2 server does to a
 * stream its table has no room for: reset it with ENHANCE_YOUR_CALM before any handler sees it.
 * `refuse(n)` decides for the n-th stream (from 0); the others get ANSWER.
 */
async function refusingServer(refuse: (n: number) => boolean) {
  let streams = 0;
  const server: Http2Server = createServer();
  server.on('stream', (stream: ServerHttp2Stream) => {
    stream.on('error', () => undefined);
    if (refuse(streams++)) {
      stream.close(constants.NGHTTP2_ENHANCE_YOUR_CALM);
      return;
    }
    stream.resume();
    stream.on('end', () => {
      const body = RecommendResponse.encode(ANSWER).finish();
      const frame = Buffer.alloc(5 + body.length);
      frame.writeUInt32BE(body.length, 1);
      frame.set(body, 5);
      stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
      stream.once('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
      stream.end(frame);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    address: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    streams: () => streams,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

function recommend(client: RecommendationServiceClient): Promise<ServiceError | Answer> {
  return new Promise((resolve) =>
    client.recommend(
      { userId: 1, category: BookCategory.BOOK_CATEGORY_MYSTERY, maxResults: 1 },
      new Metadata(),
      { deadline: Date.now() + 2000 },
      (error, answer) => resolve(error ?? answer),
    ),
  );
}

/**
 * Under load, Node's HTTP/2 server refuses now and then a stream that the client, counting
 * streams as the protocol says, had room for (channel-options.ts, READ_RETRY_CODES). Recommend and
 * GetBook try again on that refusal, hedged or not.
 */
describe.each([
  ['hedged (25 ms)', 25, 2],
  ['retried (hedging off)', undefined, 3],
])('a stream refused with ENHANCE_YOUR_CALM, %s', (_name, hedgingDelayMs, maxAttempts) => {
  const clientFor = (address: string) =>
    new RecommendationServiceClient(
      address,
      credentials.createInsecure(),
      recommendationsChannelOptions(hedgingDelayMs),
    );

  it('is tried again: the call succeeds on the next attempt', async () => {
    const server = await refusingServer((n) => n === 0);
    const client = clientFor(server.address);
    try {
      const answer = await recommend(client);
      expect(answer).toEqual(ANSWER);
      expect(server.streams()).toBe(2);
    } finally {
      client.close();
      await server.close();
    }
  });

  it(`every attempt refused: the call fails RESOURCE_EXHAUSTED after ${maxAttempts} attempts`, async () => {
    const server = await refusingServer(() => true);
    const client = clientFor(server.address);
    try {
      const failure = (await recommend(client)) as ServiceError;
      expect(failure.code).toBe(Status.RESOURCE_EXHAUSTED);
      expect(failure.details).toBe('Bandwidth exhausted or memory limit exceeded');
      expect(server.streams()).toBe(maxAttempts);
    } finally {
      client.close();
      await server.close();
    }
  });
});
