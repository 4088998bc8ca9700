// Ceiling for Recommend: a bare @grpc/grpc-js server with the same contract and the same
// recommender and data, and nothing else (no interceptors, logging, metrics, health, limits).
// Usage: PORT=50061 node bare-grpc-server.js   (prints "listening <port>")
const { RecommendationServiceService } = require('@bookstore/contracts');
const { BOOKS, createCatalog, createRecommender } = require('@bookstore/recommendations');
const { Server, ServerCredentials } = require('@grpc/grpc-js');

const recommender = createRecommender({ catalog: createCatalog(BOOKS) });
const server = new Server();
server.addService(RecommendationServiceService, {
  recommend(call, callback) {
    const { userId, category, maxResults } = call.request;
    const books = recommender.recommend({ userId, category, maxResults });
    // Random picks, as ours answers user 1 (no reading history): no "because of" book.
    const recommendations = books.map((b) => ({ id: b.id, title: b.title, becauseOfBookId: 0, becauseOfTitle: '' }));
    callback(null, { recommendations });
  },
  listBooks(call) {
    for (const book of recommender.listBooks(call.request)) call.write({ book });
    call.end();
  },
});
server.bindAsync(`127.0.0.1:${process.env.PORT ?? 50061}`, ServerCredentials.createInsecure(), (error, port) => {
  if (error) throw error;
  process.stdout.write(`listening ${port}\n`);
});
process.on('SIGTERM', () => server.forceShutdown());
