import { BookCategory, ListBooksRequest } from '@bookstore/contracts';
import { Metadata, type ServiceError, status as Status } from '@grpc/grpc-js';
import type { TestServer } from '../support/test-server';
import { withTestServer } from '../support/with-test-server';

const MYSTERY = BookCategory.BOOK_CATEGORY_MYSTERY;

/** Calls Recommend and resolves with the response headers and trailers (and the error, if any). */
function recommendWithMetadata(server: TestServer, maxResults: number, metadata = new Metadata()) {
  return new Promise<{ headers?: Metadata; trailers?: Metadata; error: ServiceError | null }>((resolve) => {
    let headers: Metadata | undefined;
    const call = server.client.recommend({ userId: 1, category: MYSTERY, maxResults }, metadata, (error) => {
      setImmediate(() => resolve({ headers, trailers: error?.metadata, error }));
    });
    call.on('metadata', (m) => (headers = m));
  });
}

/** Reads a ListBooks stream; resolves with its headers, trailers, status code and message count. */
function listBooksWithMetadata(server: TestServer, request: Partial<ListBooksRequest>, metadata: Metadata) {
  return new Promise<{ headers?: Metadata; trailers: Metadata; code: Status; messages: number }>((resolve) => {
    let headers: Metadata | undefined;
    let messages = 0;
    const call = server.client.listBooks(ListBooksRequest.create(request), metadata);
    call.on('metadata', (m) => (headers = m));
    call.on('data', () => (messages += 1));
    call.on('error', () => undefined);
    call.on('status', ({ code, metadata: trailers }) => resolve({ headers, trailers, code, messages }));
  });
}

describe('x-request-id', () => {
  const t = withTestServer();

  it('echoes the caller id in the response headers and puts it on the log line', async () => {
    const metadata = new Metadata();
    metadata.set('x-request-id', 'req-42');
    const { headers, error } = await recommendWithMetadata(t.server, 1, metadata);
    expect(error).toBeNull();
    expect(headers?.get('x-request-id')).toEqual(['req-42']);
    expect(t.server.logs.filter((l) => l.requestId === 'req-42').map((l) => l.msg)).toEqual(['rpc finished']);
  });

  it('sends it in the trailers of an error', async () => {
    const metadata = new Metadata();
    metadata.set('x-request-id', 'req-bad');
    const { error, trailers } = await recommendWithMetadata(t.server, -1, metadata);
    expect(error?.code).toBe(Status.INVALID_ARGUMENT); // max_results -1
    expect(trailers?.get('x-request-id')).toEqual(['req-bad']);
  });

  it('makes a UUID when the caller sent none, or an unusable one', async () => {
    const metadata = new Metadata();
    metadata.set('x-request-id', 'has spaces and <tags>');
    for (const sent of [new Metadata(), metadata]) {
      const { headers } = await recommendWithMetadata(t.server, 1, sent);
      const id = headers?.get('x-request-id')[0];
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(t.server.logs.some((l) => l.requestId === id)).toBe(true);
    }
  });

  it('is echoed by a stream in the headers of its first message', async () => {
    const metadata = new Metadata();
    metadata.set('x-request-id', 'req-stream');
    const answer = await listBooksWithMetadata(t.server, { limit: 2 }, metadata);
    expect(answer.code).toBe(Status.OK);
    expect(answer.messages).toBe(2);
    expect(answer.headers?.get('x-request-id')).toEqual(['req-stream']);
    expect(answer.trailers.get('x-request-id')).toEqual([]);
    expect(t.server.logs.filter((l) => l.requestId === 'req-stream').map((l) => l.code)).toEqual(['OK']);
  });

  it('is in the trailers of a stream refused before its first message', async () => {
    const metadata = new Metadata();
    metadata.set('x-request-id', 'req-stream-bad');
    const answer = await listBooksWithMetadata(t.server, { limit: -1 }, metadata);
    expect(answer.code).toBe(Status.INVALID_ARGUMENT);
    expect(answer.trailers.get('x-request-id')).toEqual(['req-stream-bad']);
    expect(t.server.logs.filter((l) => l.requestId === 'req-stream-bad').map((l) => l.code)).toEqual([
      'INVALID_ARGUMENT',
    ]);
  });
});
