// `node bench/stream-refusals.js`: how many Recommends fail because Node's HTTP/2 server refused
// their stream (ENHANCE_YOUR_CALM, which grpc-js reports as RESOURCE_EXHAUSTED "Bandwidth
// exhausted or memory limit exceeded") although the client kept within the advertised
// MAX_CONCURRENT_STREAMS. CONCURRENCY (32) Recommends in flight on one channel, as a busy
// marketplace pod sends them to one replica, hedged after 25 ms, through the Marketplace's own
// channel options (packages/marketplace/dist), for SECONDS (8) a round; ROUNDS (3) interleaved
// rounds of the shipped policy and of the one before it (hedged again on UNAVAILABLE only).
// Recommendations runs on core 0 with its image's ENV lines; this process on core 1.
// Needs `make build`. See docs/operations.md, "Stream refusals".
const { BookCategory, RecommendationServiceClient } = require('@bookstore/contracts');
const { credentials, Metadata } = require('@grpc/grpc-js');
const { join } = require('node:path');
const { imageEnv } = require('./lib/image-env');
const { startPinned, stop } = require('./lib/processes');

const ROOT = join(__dirname, '..');
const SECONDS = Number(process.env.SECONDS || 8);
const ROUNDS = Number(process.env.ROUNDS || 3);
const CONCURRENCY = Number(process.env.CONCURRENCY || 32);
const HEDGING_DELAY_MS = 25;
const PORT = 50081;
const { recommendationsChannelOptions } = require(
  join(ROOT, 'packages/marketplace/dist/recommendations/channel-options'),
);

/** The shipped options, or the same with the hedge's non-fatal codes before this change. */
function channelOptions(policy) {
  const options = recommendationsChannelOptions(HEDGING_DELAY_MS);
  if (policy === 'shipped') return options;
  const config = JSON.parse(options['grpc.service_config']);
  for (const method of config.methodConfig) {
    if (method.hedgingPolicy) method.hedgingPolicy.nonFatalStatusCodes = ['UNAVAILABLE'];
  }
  return { ...options, 'grpc.service_config': JSON.stringify(config) };
}

async function round(policy) {
  const client = new RecommendationServiceClient(
    `127.0.0.1:${PORT}`,
    credentials.createInsecure(),
    channelOptions(policy),
  );
  const failures = {};
  let ok = 0;
  const until = Date.now() + SECONDS * 1000;
  const loop = async () => {
    while (Date.now() < until) {
      await new Promise((resolve) =>
        client.recommend(
          { userId: 1, category: BookCategory.BOOK_CATEGORY_MYSTERY, maxResults: 3 },
          new Metadata(),
          { deadline: Date.now() + 1000 },
          (error) => {
            if (error)
              failures[`${error.code} ${error.details}`] = (failures[`${error.code} ${error.details}`] ?? 0) + 1;
            else ok += 1;
            resolve();
          },
        ),
      );
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, loop));
  client.close();
  const failed = Object.values(failures).reduce((sum, n) => sum + n, 0);
  return { policy, ok, failed, share: `${((100 * failed) / (ok + failed)).toFixed(2)} %`, failures };
}

async function main() {
  const server = await startPinned({
    cpu: 0,
    script: join(ROOT, 'packages/recommendations/dist/main.js'),
    env: { ...imageEnv('recommendations'), HOST: '127.0.0.1', PORT: String(PORT), METRICS_PORT: '0' },
    port: PORT,
  });
  try {
    const rows = [];
    for (let i = 0; i < ROUNDS; i += 1) {
      for (const policy of ['before', 'shipped']) {
        const row = await round(policy);
        console.log(JSON.stringify(row));
        rows.push(row);
      }
    }
    for (const policy of ['before', 'shipped']) {
      const mine = rows.filter((r) => r.policy === policy);
      const ok = mine.reduce((sum, r) => sum + r.ok, 0);
      const failed = mine.reduce((sum, r) => sum + r.failed, 0);
      console.log(
        `${policy}: ${failed} of ${ok + failed} Recommends failed (${((100 * failed) / (ok + failed)).toFixed(3)} %)`,
      );
    }
  } finally {
    await stop(server);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
