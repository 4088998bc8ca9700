// Ceiling for the homepage: bare fastify + @fastify/view + handlebars rendering a page from the
// same gRPC call (one channel, a deadline), and nothing else (no helmet, schemas, metrics, logs).
// Usage: PORT=5001 RECOMMENDATIONS_ADDR=127.0.0.1:50051 node bare-page.js
const { BookCategory, RecommendationServiceClient } = require('@bookstore/contracts');
const { credentials } = require('@grpc/grpc-js');
const view = require('@fastify/view');
const Fastify = require('fastify');
const handlebars = require('handlebars');
const { join } = require('node:path');

const client = new RecommendationServiceClient(process.env.RECOMMENDATIONS_ADDR, credentials.createInsecure());
const app = Fastify();
app.register(view, { engine: { handlebars }, root: join(__dirname, 'views'), production: true });
app.get('/', (request, reply) => {
  client.recommend(
    { userId: 1, category: BookCategory.BOOK_CATEGORY_MYSTERY, maxResults: 3 },
    { deadline: Date.now() + 300 },
    (error, response) => {
      reply.type('text/html').view('bare.hbs', { books: error ? [] : response.recommendations });
    },
  );
  return reply;
});
app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 5001) }).then((address) => {
  process.stdout.write(`listening ${new URL(address).port}\n`);
});
process.on('SIGTERM', () => app.close().then(() => client.close()));
