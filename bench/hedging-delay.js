// `node bench/hedging-delay.js`: the latency of a healthy Recommend through the Marketplace's own
// client (packages/marketplace/dist), over three Recommendations replicas on loopback, with
// hedging off so every call is one attempt. A6 sets the hedging delay near the p95 of a healthy
// call: RECOMMENDATIONS_HEDGING_DELAY_MS's default (packages/marketplace/src/config.ts) and
// docs/operations.md come from this output. CALLS (5,000) sequential calls, then the same with
// CONCURRENCY (16) in flight, as a busy marketplace pod sends them. Needs `make build`.
const { spawn } = require('node:child_process');
const { createServer } = require('node:net');
const { join } = require('node:path');
const { createInterface } = require('node:readline');
const { percentile, round } = require('./lib/stats');

const ROOT = join(__dirname, '..');
const CALLS = Number(process.env.CALLS || 5000);
const CONCURRENCY = Number(process.env.CONCURRENCY || 16);
const { createRecommendationsClient } = require(join(ROOT, 'packages/marketplace/dist/recommendations/client'));

function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** One replica as users run it; resolves with its process and gRPC port once it logs "listening". */
async function startReplica() {
  const [port, metrics, health] = await Promise.all([freePort(), freePort(), freePort()]);
  const env = { PATH: process.env.PATH, HOST: '127.0.0.1', LOG_LEVEL: 'info', ACCESS_LOG_SAMPLE_RATE: '0' };
  Object.assign(env, { PORT: String(port), METRICS_PORT: String(metrics), HEALTH_PORT: String(health) });
  const child = spawn(process.execPath, [join(ROOT, 'packages/recommendations/dist/main.js')], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.includes('listening')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`recommendations exited with ${code}`)));
  });
  return { child, port };
}

async function measure(client, concurrency) {
  const durations = [];
  let next = 0;
  async function worker() {
    while (next < CALLS) {
      next += 1;
      const started = process.hrtime.bigint();
      const outcome = await client.recommend({ userId: 1 + (next % 50), category: 1 + (next % 3), maxResults: 3 });
      if (!outcome.available) throw new Error('a call failed: the replicas are not healthy');
      durations.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const row = (p) => round(percentile(durations, p), 2);
  // The share of calls a hedging delay of `ms` would hedge: each is one extra attempt.
  const slower = (ms) => `${round((100 * durations.filter((d) => d > ms).length) / durations.length, 1)}%`;
  return {
    concurrency,
    calls: durations.length,
    p50: row(50),
    p95: row(95),
    p99: row(99),
    max: row(100),
    '>5ms': slower(5),
    '>10ms': slower(10),
    '>25ms': slower(25),
    '>50ms': slower(50),
  };
}

async function main() {
  const replicas = await Promise.all([1, 2, 3].map(startReplica));
  const client = createRecommendationsClient({
    address: `ipv4:${replicas.map((r) => `127.0.0.1:${r.port}`).join(',')}`,
    timeoutMs: 1000,
  });
  try {
    await measure(client, 1); // warm-up: connections, JIT
    const rows = [await measure(client, 1), await measure(client, CONCURRENCY)];
    console.log('healthy Recommend through the marketplace client, ms (3 replicas, loopback, no hedging)');
    console.table(rows);
  } finally {
    client.close();
    for (const { child } of replicas) child.kill('SIGTERM');
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
