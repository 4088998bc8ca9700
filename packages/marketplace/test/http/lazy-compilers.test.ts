import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { booksSchema, bookSchema, recommendationsSchema } from '../../src/api/schemas';
import { lazyCompilers } from '../../src/http/lazy-compilers';

type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;

/** The API's routes with their real schemas, answering what the validated request became. */
function appWith(options: FastifyServerOptions): FastifyInstance {
  const app = Fastify({ ...options, ajv: { customOptions: { removeAdditional: false } } });
  const echo = async (request: { query: unknown; params: unknown }) => ({
    query: request.query,
    params: request.params,
  });
  const echoed = (schema: object) => ({ ...schema, response: undefined });
  app.get('/api/v1/recommendations', { schema: echoed(recommendationsSchema) }, echo);
  app.get('/api/v1/books', { schema: echoed(booksSchema) }, echo);
  app.get('/api/v1/books/:id', { schema: echoed(bookSchema) }, echo);
  // The real response schemas, serialising a payload with a field the schema leaves out.
  app.get('/serialised', { schema: { response: recommendationsSchema.response } }, async () => ({
    recommendations: [],
    extra: 'dropped by the serialiser',
  }));
  return app;
}

const URLS = [
  '/api/v1/recommendations',
  '/api/v1/recommendations?category=fiction&max=2',
  '/api/v1/recommendations?max=abc',
  '/api/v1/recommendations?max=0',
  '/api/v1/recommendations?unknown=1',
  '/api/v1/recommendations?max=1&max=2',
  '/api/v1/books',
  '/api/v1/books?offset=3&limit=1',
  '/api/v1/books?offset=-1',
  '/api/v1/books/7',
  '/api/v1/books/x',
  '/api/v1/books/99999999999999999999',
  '/serialised',
];

describe('lazy compilers', () => {
  it('answer every request as fastify compiling at start does, before and after compileAll', async () => {
    const eager = appWith({});
    const compilers = lazyCompilers();
    const lazy = appWith({
      schemaController: compilers.schemaController,
    });
    try {
      const answers = async (app: FastifyInstance) => {
        const out = [];
        for (const url of URLS) {
          const response = await app.inject(url);
          out.push({ url, status: response.statusCode, body: response.body });
        }
        return out;
      };
      const expected = await answers(eager);
      expect(expected.map((a) => a.status)).toContain(400);
      expect(await answers(lazy)).toEqual(expected);
      compilers.compileAll();
      expect(await answers(lazy)).toEqual(expected);
    } finally {
      await eager.close();
      await lazy.close();
    }
  });

  it('compiles nothing at start: a schema Ajv refuses fails on its first request', async () => {
    const compilers = lazyCompilers();
    const app = Fastify({
      schemaController: {
        compilersFactory: { buildValidator: compilers.buildValidator as CompilersFactory['buildValidator'] },
      },
    });
    app.get('/bad', { schema: { querystring: { type: 'no-such-type' } } }, async () => 'ok');
    try {
      await app.ready();
      expect((await app.inject('/bad')).statusCode).toBe(500);
      expect(() => compilers.compileAll()).toThrow();
    } finally {
      await app.close();
    }
  });
});
