// Layer costs (docs/benchmarks.md, "Layer costs"): one process per variant, from the bare
// ceiling to the production service, each adding one layer, measured in interleaved rounds
// (every variant once per round, the starting one rotating) on one core while all run, so this
// shared machine's drift hits every row alike. CPU time per call from /proc, as bench/ab.js.
// Usage: node bench/layers.js recommend|homepage
// BENCH_RUNS rounds (7) of BENCH_SECONDS (5) per variant; each variant is checked to answer
// correctly (Recommend: 3 books; the homepage: its 3 books) before any round.
const { RecommendationServiceClient } = require('@bookstore/contracts');
const { credentials } = require('@grpc/grpc-js');
const { join } = require('node:path');
const { loadavg } = require('node:os');
const { runH2load } = require('./lib/h2load');
const { runWrk } = require('./lib/http-load');
const { cpuMicros, startPinned, stop } = require('./lib/processes');
const { median, round } = require('./lib/stats');

const ROOT = join(__dirname, '..');
const kind = process.argv[2];
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const prod = { HOST: '127.0.0.1', NODE_ENV: 'production' };
const OTLP_PORT = 4398;
const tracingOn = { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${OTLP_PORT}` };
// What docs/operations.md advises for production: traces started here sampled at 10 %, a
// caller's sampling decision followed.
const tracingSampled = {
  ...tracingOn,
  OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
  OTEL_TRACES_SAMPLER_ARG: '0.1',
};

/**
 * The rows, bare first. `base` is the row a delta is taken against (the row above unless said),
 * `note` what the row cannot isolate.
 */
function variants() {
  if (kind === 'recommend') {
    const layered = (layers) => ({ script: 'bench/layers/recommend-server.js', env: { LAYERS: String(layers) } });
    const main = { script: 'packages/recommendations/dist/main.js', env: {} };
    return [
      { layer: 'bare grpc-js server (bare-grpc-server.js)', ...layered(0) },
      { layer: '+ real service, server options, reader-events store', ...layered(1) },
      {
        layer: '+ call interceptor',
        ...layered(2),
        note: 'streaming calls only: a unary call passes through, so ~0 on Recommend',
      },
      {
        layer: '+ call observer, request id (stream watch, unary wrapper)',
        ...layered(3),
        note: 'no access line, no counters',
      },
      { layer: '+ catalog-version metadata', ...layered(4) },
      { layer: '+ access-log decision (1 % sampled lines)', ...layered(5) },
      { layer: '+ metrics (per-call counters)', ...layered(6) },
      {
        layer: '+ caller identity',
        ...layered(7),
        note: 'plaintext: the per-call lookup only; the certificate read needs mTLS, which h2load cannot present (bench/mtls.js)',
      },
      { layer: '+ connection cap, session tracking', ...layered(8) },
      { layer: '+ response serializers', ...layered(9) },
      {
        layer: 'production dist/main.js (tracing off)',
        ...main,
        note: 'adds health, reflection, /metrics server, compile cache: should be ~0 vs the row above',
      },
      {
        layer: 'production, tracing on',
        script: main.script,
        env: tracingOn,
        base: 10,
        note: 'every call sampled (OTel default), spans exported to a local sink',
      },
      {
        layer: 'production, tracing on, 10 % sampled',
        script: main.script,
        env: tracingSampled,
        base: 10,
        note: 'OTEL_TRACES_SAMPLER=parentbased_traceidratio, OTEL_TRACES_SAMPLER_ARG=0.1',
      },
    ];
  }
  const layered = (layers) => ({ script: 'bench/layers/page-server.js', env: { LAYERS: String(layers) } });
  const main = { script: 'packages/marketplace/dist/main.js', env: {} };
  return [
    { layer: 'bare fastify page (bare-page.js)', ...layered(0) },
    { layer: '+ real Recommendations client', ...layered(1), note: 'no hedging, no client metrics' },
    { layer: '+ helmet (security headers)', ...layered(2) },
    { layer: '+ query schema', ...layered(3) },
    { layer: '+ reader cookie', ...layered(4), note: 'wrk sends none: a new id and Set-Cookie per page' },
    { layer: '+ metrics (HTTP, page)', ...layered(5) },
    { layer: '+ request id (UUID, header, propagated)', ...layered(6) },
    { layer: '+ access log (logger, 1 % sampled lines)', ...layered(7) },
    { layer: '+ real views (layout, partials, home.hbs)', ...layered(8) },
    {
      layer: 'production dist/main.js (tracing off)',
      ...main,
      note: 'adds guards, draining, static, error handling, API docs, hedging, client metrics; rate limit off',
    },
    { layer: 'production, tracing on', script: main.script, env: tracingOn, base: 9, note: 'spans to a local sink' },
    {
      layer: 'production, tracing on, 10 % sampled',
      script: main.script,
      env: tracingSampled,
      base: 9,
      note: 'parentbased_traceidratio, 0.1',
    },
  ];
}

/** Fails unless the variant answers as the service does: Recommend 3 books; the homepage its 3. */
async function checkAnswers(row, port) {
  if (kind === 'recommend') {
    const client = new RecommendationServiceClient(`127.0.0.1:${port}`, credentials.createInsecure());
    const books = await new Promise((resolve, reject) =>
      client.recommend({ userId: 1, category: 1, maxResults: 3 }, (error, response) =>
        error ? reject(error) : resolve(response.recommendations.length),
      ),
    );
    client.close();
    if (books !== 3) throw new Error(`${row.layer}: Recommend answered ${books} books, not 3`);
    return `${books} books`;
  }
  const response = await fetch(`http://127.0.0.1:${port}/`);
  const page = await response.text();
  // A book: `<li class="book">` on the real page, a bare `<li>title` on bare.hbs (not the nav's links).
  const books = (page.match(/<li class="book">|<li>[^<]/g) ?? []).length;
  if (response.status !== 200 || books !== 3) {
    throw new Error(`${row.layer}: the homepage answered ${response.status} with ${books} books, not 3`);
  }
  return `${books} books`;
}

async function main() {
  if (kind !== 'recommend' && kind !== 'homepage') throw new Error('first argument: recommend or homepage');
  const rows = variants();
  const started = [];
  try {
    // Tracing's exports go to a sink on the load core, as to a collector elsewhere.
    started.push(
      await startPinned({
        cpu: 1,
        script: join(__dirname, 'layers/otlp-sink.js'),
        env: { PORT: String(OTLP_PORT) },
        port: OTLP_PORT,
      }),
    );
    if (kind === 'homepage') {
      started.push(
        await startPinned({
          cpu: 1,
          script: join(ROOT, 'packages/recommendations/dist/main.js'),
          env: { ...prod, PORT: '50083', METRICS_PORT: '9283', LOG_LEVEL: 'warn' },
          port: 50083,
        }),
      );
    }
    const backendCount = started.length;
    const subjects = rows.map((row, i) => {
      const port = kind === 'recommend' ? 50101 + i : 5101 + i;
      return {
        script: join(ROOT, row.script),
        port,
        env: {
          ...prod,
          PORT: String(port),
          METRICS_PORT: String(9301 + i),
          RECOMMENDATIONS_ADDR: '127.0.0.1:50083',
          // Throughput from one address: the per-address rate limit off (benchmarks.md).
          ...(kind === 'homepage' ? { RATE_LIMIT_MAX: '0' } : {}),
          ...row.env,
        },
      };
    });
    // All on the measured core, idle but for the one under load.
    for (const subject of subjects) started.push(await startPinned({ cpu: 0, ...subject }));
    const pids = started.slice(backendCount).map((child) => child.pid);
    for (const [i, row] of rows.entries()) {
      process.stderr.write(`  ${row.layer}: ${await checkAnswers(row, subjects[i].port)}\n`);
    }
    const once = (j, seconds) => {
      const before = cpuMicros(pids[j]);
      let perSecond;
      if (kind === 'recommend') {
        const run = runH2load({ cpu: 1, port: subjects[j].port, seconds });
        if (run.failed > 0 || run.errored > 0)
          throw new Error(`${rows[j].layer}: ${run.failed + run.errored} calls failed`);
        perSecond = run.reqPerSec;
      } else {
        const run = runWrk({ cpu: 1, url: `http://127.0.0.1:${subjects[j].port}/`, seconds });
        if (run.non2xx > 0) throw new Error(`${rows[j].layer}: ${run.non2xx} pages not 200`);
        perSecond = run.pagesPerSec;
      }
      return { perSecond, cpuMicrosPerCall: (cpuMicros(pids[j]) - before) / (perSecond * seconds) };
    };
    // Warm-up: JIT, pools, the channel to the backend.
    rows.forEach((_row, j) => once(j, Math.min(3, SECONDS)));
    const rates = rows.map(() => []);
    const cpu = rows.map(() => []);
    for (let r = 0; r < RUNS; r += 1) {
      // Round-robin, each round starting one row later: no row always follows the same one.
      for (let k = 0; k < rows.length; k += 1) {
        const j = (r + k) % rows.length;
        const result = once(j, SECONDS);
        rates[j].push(result.perSecond);
        cpu[j].push(result.cpuMicrosPerCall);
      }
    }
    const span = (values) => {
      const sorted = [...values].sort((x, y) => x - y);
      return `${round(median(values), 1)} [${round(sorted[0], 1)}–${round(sorted[sorted.length - 1], 1)}]`;
    };
    const lines = [
      `${kind} layer costs: CPU µs per call, median [min–max] of ${RUNS} interleaved rounds of ${SECONDS} s`,
      '',
      '| layer | CPU µs/call | Δ µs | req/s | notes |',
      '|---|---|---|---|---|',
    ];
    rows.forEach((row, j) => {
      const base = j === 0 ? undefined : (row.base ?? j - 1);
      // The delta of the medians, and its span from the same rounds' differences.
      const delta =
        base === undefined
          ? '—'
          : `${round(median(cpu[j]) - median(cpu[base]), 1) >= 0 ? '+' : ''}${round(median(cpu[j]) - median(cpu[base]), 1)}` +
            (row.base === undefined ? '' : ` (vs row ${base + 1})`);
      lines.push(`| ${row.layer} | ${span(cpu[j])} | ${delta} | ${round(median(rates[j]), 0)} | ${row.note ?? ''} |`);
    });
    const exported = await (await fetch(`http://127.0.0.1:${OTLP_PORT}/count`)).text();
    lines.push('', `tracing: ${exported} OTLP exports received by the sink`);
    lines.push(
      `load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    for (const child of started) await stop(child);
  }
}

main().catch((error) => {
  process.stderr.write(`layers failed: ${error.stack}\n`);
  process.exit(1);
});
