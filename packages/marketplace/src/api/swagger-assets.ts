import type { FastifyInstance } from 'fastify';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.js': 'application/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/**
 * Serves Swagger UI's files (`<prefix>/static/*`, 2.5 MB, the bundle 1.6 MB) from one copy in
 * memory, loaded at start, ahead of @fastify/swagger-ui's own file serving.
 *
 * Streamed from disk, each response held a 64 KiB read buffer plus a 64 KiB chunk queued on the
 * socket while the client did not read: 1,000 such connections took RSS 100 → 319 MB (issue
 * 18). Writing a shared Buffer queues a reference, not a copy, so a client that does not read
 * costs next to nothing. Matched on the path as the router reads it (query string dropped,
 * percent-escapes decoded: `bundle.js?x`, `bundle%2Ejs`), so no URL of a file that is on disk
 * reaches the disk-streaming route; other names fall through to the plugin's routes
 * (`swagger-initializer.js` is generated, not a file). Register inside the Swagger UI's scope.
 */
export function serveSwaggerAssetsFromMemory(scope: FastifyInstance, prefix: string): void {
  const folder = join(dirname(require.resolve('@fastify/swagger-ui/package.json')), 'static');
  const assets = new Map<string, { body: Buffer; type: string }>();
  for (const name of readdirSync(folder)) {
    const type = TYPES[extname(name)];
    if (type !== undefined) assets.set(`${prefix}/static/${name}`, { body: readFileSync(join(folder, name)), type });
  }
  scope.addHook('onRequest', (request, reply, done) => {
    const path = request.method === 'GET' || request.method === 'HEAD' ? decodedPath(request.url) : undefined;
    const asset = path === undefined ? undefined : assets.get(path);
    if (asset === undefined) return done();
    void reply.type(asset.type).header('cache-control', 'public, max-age=3600').send(asset.body);
  });
}

/** The URL's path without the query, percent-decoded as the router decodes it; undefined if malformed. */
function decodedPath(url: string): string | undefined {
  const path = url.split('?', 1)[0] ?? url;
  try {
    return decodeURIComponent(path);
  } catch {
    return undefined;
  }
}
