// The machine's floor for the fixed-rate latency: the simplest Node HTTP server, answering a
// constant page of the homepage's size. What it measures at 500 req/s is what this VM's
// scheduling adds before any framework, template or gRPC call does.
// Usage: PORT=5073 node floor-http.js   (prints "listening <port>")
const { createServer } = require('node:http');

const page = Buffer.from(`<!doctype html><html><body>${'<p>bookstore</p>'.repeat(150)}</body></html>`);
const server = createServer((_request, response) => {
  response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': page.length });
  response.end(page);
});
server.listen(Number(process.env.PORT ?? 5073), '127.0.0.1', () =>
  process.stdout.write(`listening ${server.address().port}\n`),
);
process.on('SIGTERM', () => server.close(() => process.exit(0)));
