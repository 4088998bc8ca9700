// A stand-in OTLP/HTTP collector for bench/layers.js: accepts every export and drops it (the
// bench measures tracing's cost in the service, not a collector's); GET /count says how many.
// Its own process: the bench's event loop is blocked while h2load or wrk runs.
// Usage: PORT=4398 node bench/layers/otlp-sink.js
const { createServer } = require('node:http');

let received = 0;
const sink = createServer((request, response) => {
  if (request.method === 'GET') return response.end(String(received));
  received += 1;
  request.resume();
  request.on('end', () => response.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
});
sink.listen(Number(process.env.PORT ?? 4398), '127.0.0.1', () => process.stdout.write('listening\n'));
process.on('SIGTERM', () => sink.close());
