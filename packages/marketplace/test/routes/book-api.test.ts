import { status as Status } from '@grpc/grpc-js';
import { startFakeRecommendations, statusError } from '../support/fake-recommendations';
import { buildTestApp, withBookstore } from '../support/test-app';

describe('GET /api/v1/books/:id', () => {
  const t = withBookstore();

  it('answers { book, alsoViewed }, and records no view', async () => {
    t.readerEvents.viewed(11, 104);
    t.readerEvents.viewed(11, 105);
    await t.server.events.waitForStored(2);
    const response = await t.app.inject({ url: '/api/v1/books/104', cookies: { uid: '12' } });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      book: { id: 104, title: 'The Time Machine', author: 'H. G. Wells', category: 'science-fiction' },
      alsoViewed: [{ id: 105, title: 'Frankenstein' }],
    });
    expect(response.cookies).toHaveLength(0);
    expect(t.server.events.batches.flat()).toHaveLength(2);
  });

  it('answers an unknown id with a JSON 404', async () => {
    const response = await t.app.inject('/api/v1/books/555');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ statusCode: 404, error: 'Not Found', message: 'There is no book with id 555.' });
  });

  it.each([
    ['x', 'id must be a whole number'],
    ['0', 'id must be at least 1'],
    ['2147483648', 'id must be at most 2147483647'],
  ])('answers /api/v1/books/%s with a JSON 400 saying "%s"', async (id, message) => {
    const response = await t.app.inject(`/api/v1/books/${id}`);
    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({ statusCode: 400, error: 'Bad Request', message });
  });

  it('is in the OpenAPI document with its 400, 404 and 503 answers', async () => {
    const doc = (await t.app.inject('/openapi.json')).json<{
      paths: Record<string, { get: { responses: Record<string, unknown>; parameters: { name: string }[] } }>;
    }>();
    const operation = doc.paths['/api/v1/books/{id}']?.get;
    expect(Object.keys(operation?.responses ?? {}).sort()).toEqual(['200', '400', '404', '503']);
    expect(operation?.parameters.map((p) => p.name)).toEqual(['id']);
  });
});

describe('GET /api/v1/books/:id without Recommendations', () => {
  it('answers 503 with Retry-After', async () => {
    const server = await startFakeRecommendations({
      handlers: { getBook: (_call, callback) => callback(statusError(Status.UNAVAILABLE)) },
    });
    const t = await buildTestApp({ address: server.address });
    try {
      const response = await t.app.inject('/api/v1/books/101');
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('5');
      expect(response.json()).toMatchObject({ statusCode: 503, error: 'Service Unavailable' });
    } finally {
      await t.close();
      await server.stop();
    }
  });
});

describe('GET /api/v1/books/:id when Recommendations answers something else', () => {
  it('is a generic 500 (UNIMPLEMENTED: a Recommendations without GetBook)', async () => {
    const server = await startFakeRecommendations({
      handlers: { getBook: (_call, callback) => callback(statusError(Status.UNIMPLEMENTED)) },
    });
    const t = await buildTestApp({ address: server.address });
    try {
      const response = await t.app.inject('/api/v1/books/101');
      expect(response.statusCode).toBe(500);
      expect(response.body).not.toContain('from the fake');
    } finally {
      await t.close();
      await server.stop();
    }
  });
});
