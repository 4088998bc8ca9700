// A/B of one change, for the commit message and docs/benchmarks.md: two variants of a service
// (another build, or other settings) measured in interleaved rounds (A, B, A, B, …) on the same
// core while both run, so this shared machine's drift hits both alike. Prints median and span of
// B/A. Usage:
//   node bench/ab.js recommend|homepage '<A as JSON>' '<B as JSON>'
// where each variant is { "script": "<path to main.js>", "env": { ... }, "nodeArgs": [...] }
// (script defaults to the service's dist/main.js). BENCH_RUNS rounds (7) of BENCH_SECONDS (5).
const { join } = require('node:path');
const { loadavg } = require('node:os');
const { runH2load } = require('./lib/h2load');
const { runWrk } = require('./lib/http-load');
const { cpuMicros, startPinned, stop } = require('./lib/processes');
const { median, round } = require('./lib/stats');

const ROOT = join(__dirname, '..');
const [kind, aJson, bJson] = process.argv.slice(2);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const prod = { HOST: '127.0.0.1', NODE_ENV: 'production' };

async function main() {
  if (kind !== 'recommend' && kind !== 'homepage') throw new Error('first argument: recommend or homepage');
  const service = kind === 'recommend' ? 'recommendations' : 'marketplace';
  const variants = [JSON.parse(aJson ?? '{}'), JSON.parse(bJson ?? '{}')];
  let backend;
  if (kind === 'homepage') {
    backend = await startPinned({
      cpu: 1,
      script: join(ROOT, 'packages/recommendations/dist/main.js'),
      env: { ...prod, PORT: '50083', METRICS_PORT: '9283', LOG_LEVEL: 'warn' },
      port: 50083,
    });
  }
  const started = [];
  try {
    const subjects = variants.map((v, i) => ({
      script: v.script ? join(ROOT, v.script) : join(ROOT, `packages/${service}/dist/main.js`),
      nodeArgs: v.nodeArgs ?? [],
      port: kind === 'recommend' ? 50081 + i : 5081 + i,
      env: {
        ...prod,
        METRICS_PORT: String(9281 + i),
        PORT: String(kind === 'recommend' ? 50081 + i : 5081 + i),
        RECOMMENDATIONS_ADDR: '127.0.0.1:50083',
        // Throughput from one address: the per-address rate limit off (benchmarks.md).
        ...(kind === 'homepage' ? { RATE_LIMIT_MAX: '0' } : {}),
        ...v.env,
      },
    }));
    for (const subject of subjects) started.push(await startPinned({ cpu: 0, ...subject }));
    // Throughput, and the server's CPU time per call: under other processes' load the second
    // is the steadier figure (a process that waits for the CPU spends no CPU time waiting).
    const once = (j, seconds) => {
      const before = cpuMicros(started[j].pid);
      const perSecond =
        kind === 'recommend'
          ? runH2load({ cpu: 1, port: subjects[j].port, seconds }).reqPerSec
          : runWrk({ cpu: 1, url: `http://127.0.0.1:${subjects[j].port}/`, seconds }).pagesPerSec;
      return { perSecond, cpuMicrosPerCall: (cpuMicros(started[j].pid) - before) / (perSecond * seconds) };
    };
    subjects.forEach((_subject, j) => once(j, 3));
    const rates = [[], []];
    const cpu = [[], []];
    const ratios = [];
    const cpuRatios = [];
    for (let i = 0; i < RUNS; i += 1) {
      // B first on odd rounds, so neither always runs second.
      for (const j of i % 2 === 0 ? [0, 1] : [1, 0]) {
        const result = once(j, SECONDS);
        rates[j].push(result.perSecond);
        cpu[j].push(result.cpuMicrosPerCall);
      }
      ratios.push(rates[1][i] / rates[0][i]);
      cpuRatios.push(cpu[1][i] / cpu[0][i]);
    }
    const span = (values) => {
      const sorted = [...values].sort((x, y) => x - y);
      return `${round(median(values))} [${round(sorted[0])}–${round(sorted[sorted.length - 1])}]`;
    };
    process.stdout.write(
      `${kind}: A ${round(median(rates[0]), 0)}/s, B ${round(median(rates[1]), 0)}/s, B/A ${span(ratios)}; ` +
        `CPU per call A ${round(median(cpu[0]), 1)} µs, B ${round(median(cpu[1]), 1)} µs, B/A ${span(cpuRatios)}; ` +
        `${RUNS} rounds of ${SECONDS} s; load average ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}\n`,
    );
  } finally {
    for (const child of started) await stop(child);
    if (backend) await stop(backend);
  }
}

main().catch((error) => {
  process.stderr.write(`ab failed: ${error.stack}\n`);
  process.exit(1);
});
