import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import pino from 'pino';
import { type ApiDocsRegistration, registerApiDocs } from '../../src/api/docs';
import { buildApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createRecommendationsClient } from '../../src/recommendations/client';
import { registerEagerApiDocs } from '../support/eager-api-docs';
import { startFakeRecommendations } from '../support/fake-recommendations';

// Every route @fastify/swagger-ui has, files it serves from disk and from memory, and paths it
// does not answer (the app's 404), with queries, odd slashes and escapes.
const URLS = [
  '/openapi.json',
  '/openapi.json?x=1',
  '/openapi.json/',
  '/docs',
  '/docs/',
  '/docs?x=1',
  '/docs/?x=1',
  '/docs//',
  '/docs/json',
  '/docs/yaml',
  '/docs/json/',
  '/docs/static/index.html',
  '/docs/static/swagger-initializer.js',
  '/docs/static/swagger-ui.css',
  '/docs/static/',
  '/docs/static',
  '/docs/static/nope.js',
  '/docs/static/LICENSE',
  '/docs/static/.hidden',
  '/docs/static/../package.json',
  '/docs/static/%2e%2e/package.json',
  '/docs/static/%2e%2e%2fpackage.json',
  '/docs/static/%',
  '/docs/nope',
  '/docs/nope/deeper',
  '/DOCS',
  '/docs.json',
];
// Headers that differ between any two answers (the time, the request's id).
const VARYING = new Set(['date', 'x-request-id']);

type Answer = { request: string; status: number; headers: Record<string, unknown>; body: string };

async function answers(app: FastifyInstance): Promise<Answer[]> {
  const out: Answer[] = [];
  const ask = async (method: 'GET' | 'HEAD', url: string, headers: Record<string, string> = {}) => {
    const response = await app.inject({ method, url, headers });
    const kept = Object.entries(response.headers).filter(([name]) => !VARYING.has(name));
    out.push({
      request: `${method} ${url} ${JSON.stringify(headers)}`,
      status: response.statusCode,
      headers: Object.fromEntries(kept),
      body: response.body,
    });
    return response;
  };
  for (const url of URLS) {
    await ask('GET', url);
    await ask('HEAD', url);
  }
  // Conditional and partial requests to the one file still served from disk (the folder's index).
  const index = await ask('GET', '/docs/static/');
  await ask('GET', '/docs/static/', { 'if-none-match': String(index.headers.etag) });
  await ask('GET', '/docs/static/', { range: 'bytes=0-9' });
  await ask('GET', '/docs/static/', { range: 'bytes=999999-' });
  return out;
}

describe('API docs', () => {
  let server: Awaited<ReturnType<typeof startFakeRecommendations>>;
  let recommendations: ReturnType<typeof createRecommendationsClient>;
  beforeAll(async () => {
    server = await startFakeRecommendations();
    recommendations = createRecommendationsClient({ address: server.address, timeoutMs: 1000 });
  });
  afterAll(async () => {
    recommendations.close();
    await server.stop();
  });
  const appWith = (apiDocs: ApiDocsRegistration) =>
    buildApp({
      config: loadConfig({ RATE_LIMIT_MAX: '0' }),
      logger: pino({ level: 'silent' }),
      recommendations,
      readerEvents: { viewed: () => undefined },
      apiDocs,
    });

  it('answer every docs URL, GET and HEAD, as @fastify/swagger and swagger-ui registered in the app do', async () => {
    const eager = await appWith(registerEagerApiDocs);
    const lazy = await appWith(registerApiDocs);
    try {
      const expected = await answers(eager);
      const statuses = new Set(expected.map((a) => a.status));
      expect([200, 206, 304, 404].every((s) => statuses.has(s))).toBe(true);
      expect(expected.find((a) => a.request.startsWith('GET /openapi.json '))?.body).toContain('/api/v1/books/{id}');
      expect(await answers(lazy)).toEqual(expected);
    } finally {
      await eager.close();
      await lazy.close();
    }
  });

  it('answer 500, logged at error, when the docs cannot be built, and the app goes on', async () => {
    type Line = { level: number; msg: string };
    const logs: Line[] = [];
    const logger: FastifyBaseLogger = pino(
      { level: 'info' },
      { write: (line: string) => logs.push(JSON.parse(line) as Line) },
    );
    const app = Fastify({ loggerInstance: logger });
    await registerApiDocs(app, async () => {
      throw new Error('no routes today');
    });
    app.get('/', async () => 'still here');
    try {
      for (const url of ['/openapi.json', '/docs']) expect((await app.inject(url)).statusCode).toBe(500);
      expect(logs.filter((line) => line.level === 50 && line.msg === 'no routes today')).toHaveLength(2);
      expect((await app.inject('/')).body).toBe('still here');
    } finally {
      await app.close();
    }
  });
});
