// Personalisation's price (issue #23): events stored per second through RecordEvents (embedded
// store and Valkey), and Recommend for an anonymous reader beside a reader with 50 views (Valkey),
// on a 1,000-book catalog so a reader's 50 views are 50 distinct books with co-view lists.
// Usage: node bench/personalisation.js   (needs redis-server and h2load; part of `make bench`)
const { RecommendationServiceClient, ReaderEventKind } = require('@bookstore/contracts');
const { credentials } = require('@grpc/grpc-js');
const { spawn, execFileSync } = require('node:child_process');
const { mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { runH2load } = require('./lib/h2load');
const { cpuMicros, rssMb, startPinned, stop } = require('./lib/processes');

const ROOT = join(__dirname, '..');
const RECOMMENDATIONS = join(ROOT, 'packages/recommendations/dist/main.js');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 50_000);
const BOOKS = 1_000;
const KNOWN_READER = 424_242;
const REDIS_PORT = 6391;

function catalog(dir) {
  const categories = ['mystery', 'science-fiction', 'self-help'];
  const lines = Array.from({ length: BOOKS }, (_, i) =>
    JSON.stringify({ id: i + 1, title: `Book ${i + 1}`, author: 'A. Writer', category: categories[i % 3] }),
  );
  const file = join(dir, 'catalog.jsonl');
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

async function startRedis(dir) {
  const child = spawn(
    'redis-server',
    ['--port', String(REDIS_PORT), '--bind', '127.0.0.1', '--save', '', '--dir', dir],
    {
      stdio: 'ignore',
    },
  );
  for (let i = 0; i < 100; i += 1) {
    try {
      execFileSync('redis-cli', ['-p', String(REDIS_PORT), 'ping'], { stdio: 'ignore' });
      return child;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error('redis-server did not start');
}

/** Sends `events` over one RecordEvents stream, 500 a batch, 4 batches in flight; answers events stored a second. */
function recordEvents(client, events) {
  return new Promise((resolve, reject) => {
    const call = client.recordEvents();
    let next = 0;
    let inFlight = 0;
    let stored = 0;
    const started = performance.now();
    const send = () => {
      while (inFlight < 4 && next < events.length) {
        call.write({ events: events.slice(next, next + 500) });
        next += 500;
        inFlight += 1;
      }
      if (next >= events.length && inFlight === 0) call.end();
    };
    call.on('data', (response) => {
      if (response.rejected.length > 0) return reject(new Error(`rejected: ${response.rejected[0].reason}`));
      stored += response.storedEventIds.length;
      inFlight -= 1;
      send();
    });
    call.on('error', reject);
    call.on('end', () => resolve(stored / ((performance.now() - started) / 1000)));
    send();
  });
}

const view = (eventId, userId, bookId) => ({
  eventId,
  userId,
  bookId,
  kind: ReaderEventKind.READER_EVENT_KIND_VIEWED,
  occurredAt: undefined,
});

async function waitApplied(client) {
  // Applied when the known reader's picks say "because of": the consumer reached the end of the seed.
  for (let i = 0; i < 600; i += 1) {
    const answer = await new Promise((resolve, reject) =>
      client.recommend({ userId: KNOWN_READER, category: 1, maxResults: 3 }, (e, r) => (e ? reject(e) : resolve(r))),
    );
    if (answer.recommendations.some((pick) => pick.becauseOfBookId !== 0)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the seeded views were not applied within 60 s');
}

async function measure(store, env, port) {
  const server = await startPinned({ cpu: 0, script: RECOMMENDATIONS, env, port });
  const client = new RecommendationServiceClient(`127.0.0.1:${port}`, credentials.createInsecure());
  try {
    // Readers 1..5,000 view random books: the co-view lists the known reader's picks come from.
    const events = Array.from({ length: EVENTS }, (_, i) =>
      view(`${store}-${i}`, 1 + (i % 5_000), 1 + ((i * 37 + Math.floor(i / 5_000) * 101) % BOOKS)),
    );
    const perSecond = await recordEvents(client, events);
    const history = Array.from({ length: 50 }, (_, i) =>
      view(`${store}-known-${i}`, KNOWN_READER, 1 + ((i * 37) % BOOKS)),
    );
    await recordEvents(client, history);
    await waitApplied(client);
    // A 2 s warm-up run, then the measured one, with the server's CPU time per call over it:
    // steadier than req/s on a machine other work loads.
    const run = (userId) => {
      const request = { userId, category: 1, maxResults: 3 };
      runH2load({ cpu: 1, port, seconds: 2, request });
      const before = cpuMicros(server.pid);
      const result = runH2load({ cpu: 1, port, seconds: SECONDS, request });
      const calls = result.succeeded + result.failed + result.errored;
      if (calls === 0) throw new Error(`no Recommend answered for user ${userId} in ${SECONDS} s`);
      return { ...result, cpuMicrosPerCall: Math.round((cpuMicros(server.pid) - before) / calls) };
    };
    const anonymous = run(0);
    const known = run(KNOWN_READER);
    return { store, eventsPerSecond: Math.round(perSecond), anonymous, known, rssMb: rssMb(server.pid) };
  } finally {
    client.close();
    await stop(server);
  }
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-personalisation-'));
  const redis = await startRedis(dir);
  try {
    const base = { HOST: '127.0.0.1', NODE_ENV: 'production', LOG_LEVEL: 'warn', CATALOG_FILE: catalog(dir) };
    const rows = [
      await measure('embedded', { ...base, PORT: '50091', METRICS_PORT: '9291' }, 50091),
      await measure(
        'valkey',
        { ...base, PORT: '50092', METRICS_PORT: '9292', STORE_URL: `redis://127.0.0.1:${REDIS_PORT}` },
        50092,
      ),
    ];
    const fmt = (r) => `${Math.round(r.reqPerSec)} req/s, p50 ${r.p50Ms.toFixed(2)} ms, p99 ${r.p99Ms.toFixed(2)} ms`;
    for (const row of rows) {
      console.log(`${row.store.padEnd(8)} RecordEvents ${row.eventsPerSecond} events/s (${EVENTS} events, one stream)`);
      console.log(`${''.padEnd(8)} Recommend anonymous: ${fmt(row.anonymous)}`);
      console.log(
        `${''.padEnd(8)} Recommend, 50 views: ${fmt(row.known)}  (${(row.known.reqPerSec / row.anonymous.reqPerSec).toFixed(2)}x anonymous)`,
      );
      console.log(
        `${''.padEnd(8)} server CPU a call: anonymous ${row.anonymous.cpuMicrosPerCall} us, 50 views ${row.known.cpuMicrosPerCall} us (${(row.anonymous.cpuMicrosPerCall / row.known.cpuMicrosPerCall).toFixed(2)}x)`,
      );
      console.log(`${''.padEnd(8)} RSS after: ${row.rssMb} MB`);
    }
    console.log(JSON.stringify({ personalisation: rows }));
  } finally {
    redis.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
