// make bench, part 2 (issue 16): a real-sized catalog. For 18 (embedded), 100k and 1M books:
// Recommendations' start time (spawn -> "listening") and RSS, Recommend throughput (h2load), and
// the Marketplace's /books page (first page and one deep in the catalog) under wrk.
// Run alone with `node bench/catalog.js` (after `make build`), or from run.js (results.catalog).
const { spawn } = require('node:child_process');
const { createWriteStream, mkdtempSync, readFileSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { createInterface } = require('node:readline');
const { runH2load } = require('./lib/h2load');
const { runWrk } = require('./lib/http-load');
const { stop } = require('./lib/processes');
const { median, round } = require('./lib/stats');

const ROOT = join(__dirname, '..');
const RECOMMENDATIONS = join(ROOT, 'packages/recommendations/dist/main.js');
const MARKETPLACE = join(ROOT, 'packages/marketplace/dist/main.js');
const GENERATOR = join(ROOT, 'scripts/generate-catalog.js');
const SIZES = (process.env.BENCH_CATALOG_SIZES ?? '18,100000,1000000').split(',').map(Number);
const STARTS = Number(process.env.BENCH_CATALOG_STARTS ?? 3);
const SECONDS = Number(process.env.BENCH_CATALOG_SECONDS ?? 5);
const PROD = { HOST: '127.0.0.1', NODE_ENV: 'production' };

/** Progress on stderr: the catalog part takes minutes. */
const progress = (message) => process.stderr.write(`catalog bench: ${message}\n`);

const memory = (pid) => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name) => Number(new RegExp(`${name}:\\s+(\\d+)`).exec(status)[1]);
  return { rssMb: round(kb('VmRSS') / 1024, 1), peakRssMb: round(kb('VmHWM') / 1024, 1) };
};

/** Starts a service on `cpu`; resolves at its "listening" log line with the time since spawn. */
async function startService({ cpu, script, env }) {
  const started = performance.now();
  const child = spawn('taskset', ['-c', String(cpu), process.execPath, script], {
    env: { PATH: process.env.PATH, ...PROD, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const lines = createInterface({ input: child.stdout });
  const ready = await new Promise((resolve, reject) => {
    lines.on('line', (line) => {
      const entry = line.startsWith('{') ? JSON.parse(line) : {};
      if (typeof entry.msg === 'string' && entry.msg.endsWith(' listening')) resolve(entry);
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before listening: ${stderr}`)));
  });
  const startMs = performance.now() - started;
  // The logs go nowhere from here on, as to a container runtime's file.
  lines.close();
  child.stdout.resume();
  return { child, ready, startMs };
}

function catalogFile(dir, size) {
  if (size === 18) return undefined; // the embedded catalog
  const file = join(dir, `catalog-${size}.jsonl`);
  const out = createWriteStream(file);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [GENERATOR, String(size), '1'], { stdio: ['ignore', 'pipe', 'inherit'] });
    child.stdout.pipe(out);
    out.on('finish', () => resolve(file));
    child.on('exit', (code) => code !== 0 && reject(new Error(`generator exited with ${code}`)));
  });
}

async function startAndMeasure(file) {
  const env = { PORT: '0', METRICS_PORT: '0', ...(file ? { CATALOG_FILE: file } : {}) };
  const starts = [];
  for (let i = 0; i < STARTS; i += 1) {
    const service = await startService({ cpu: 0, script: RECOMMENDATIONS, env });
    starts.push({ startMs: service.startMs, ...memory(service.child.pid) });
    await stop(service.child);
  }
  return {
    startMs: round(median(starts.map((s) => s.startMs)), 0),
    startRunsMs: starts.map((s) => round(s.startMs, 0)),
    rssMb: median(starts.map((s) => s.rssMb)),
    peakRssMb: median(starts.map((s) => s.peakRssMb)),
  };
}

/** Connections wrk keeps open on a /books page: fewer than the homepage's 32, each page is a stream of 51. */
const PAGE_CONNECTIONS = 8;

/** Books on a page (a few tries: a page fetched right after a load run may still be degraded). */
async function booksOnPage(url) {
  let books = 0;
  for (let attempt = 0; attempt < 5 && books === 0; attempt += 1) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 500));
    books = (await (await fetch(url)).text()).split('<li class="book">').length - 1;
  }
  return books;
}

/** ListBooks calls the Marketplace saw fail (any code but OK), from its own metrics. */
async function failedListBooks(metricsPort) {
  const text = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
  return text
    .split('\n')
    .filter(
      (l) => l.startsWith('grpc_client_handled_total{') && l.includes('ListBooks') && !l.includes('grpc_code="OK"'),
    )
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

/** Recommend and the /books pages against one catalog: both services up, load from core 1. */
async function underLoad(file) {
  // As shipped (info: the "listening" line is how readiness is seen here).
  const env = { PORT: '0', METRICS_PORT: '0', ...(file ? { CATALOG_FILE: file } : {}) };
  const recommendations = await startService({ cpu: 0, script: RECOMMENDATIONS, env });
  const port = recommendations.ready.port;
  let marketplace;
  try {
    progress('Recommend under h2load');
    const recommend = runH2load({ cpu: 1, port, seconds: SECONDS, warmupSeconds: 1 });
    if (recommend.failed + recommend.errored > 0) throw new Error('h2load: failed Recommend calls');
    marketplace = await startService({
      cpu: 0,
      script: MARKETPLACE,
      // wrk from one address: the per-address rate limit off, to measure throughput.
      env: { PORT: '0', METRICS_PORT: '0', RATE_LIMIT_MAX: '0', RECOMMENDATIONS_ADDR: `127.0.0.1:${port}` },
    });
    const base = `http://127.0.0.1:${marketplace.ready.port}`;
    const pages = {};
    const total = recommendations.ready.books;
    const middle = Math.floor(total / 2);
    for (const [name, after] of [
      ['first', 0],
      ['deep', middle],
    ]) {
      const path = after === 0 ? '/books' : `/books?after=${after}`;
      const books = await booksOnPage(`${base}${path}`);
      if (books !== Math.min(50, total - after)) throw new Error(`${path}: ${books} books on the page`);
      progress(`${path} under wrk`);
      runWrk({ cpu: 1, url: `${base}${path}`, seconds: 1, connections: PAGE_CONNECTIONS });
      const failedBefore = await failedListBooks(marketplace.ready.metricsPort);
      const result = runWrk({ cpu: 1, url: `${base}${path}`, seconds: SECONDS, connections: PAGE_CONNECTIONS });
      // A page whose ListBooks failed renders without books, cheaper: count them, as run.js does.
      const degraded = (await failedListBooks(marketplace.ready.metricsPort)) - failedBefore;
      if (result.non2xx > 0 || result.errors) throw new Error(`${path}: non-2xx answers or socket errors`);
      pages[name] = {
        path,
        pagesPerSec: round(result.pagesPerSec, 0),
        p50Ms: result.p50Ms,
        p99Ms: result.p99Ms,
        degraded,
      };
    }
    return {
      recommend: {
        reqPerSec: round(recommend.reqPerSec, 0),
        p50Ms: round(recommend.p50Ms),
        p99Ms: round(recommend.p99Ms),
      },
      pages,
      rssAfterLoadMb: memory(recommendations.child.pid).rssMb,
    };
  } finally {
    if (marketplace) await stop(marketplace.child);
    await stop(recommendations.child);
  }
}

/**
 * The same page (18 books, `/api/v1/books?limit=18`, from the middle of the catalog) from the
 * embedded catalog and from the largest, both stacks up at once and measured alternately,
 * round after round, so this VM's drift hits both alike (as run.js does for the ceilings).
 */
async function samePageAB(largestFile, largest) {
  const stacks = [];
  try {
    for (const file of [undefined, largestFile]) {
      const env = { PORT: '0', METRICS_PORT: '0', ...(file ? { CATALOG_FILE: file } : {}) };
      const recommendations = await startService({ cpu: 0, script: RECOMMENDATIONS, env });
      stacks.push(recommendations);
      const marketplace = await startService({
        cpu: 0,
        script: MARKETPLACE,
        env: {
          PORT: '0',
          METRICS_PORT: '0',
          RATE_LIMIT_MAX: '0', // one address, unlimited throughput
          RECOMMENDATIONS_ADDR: `127.0.0.1:${recommendations.ready.port}`,
        },
      });
      stacks.push(marketplace);
      const after = file ? Math.floor(largest / 2) : 0;
      marketplace.url = `http://127.0.0.1:${marketplace.ready.port}/api/v1/books?limit=18${after ? `&after=${after}` : ''}`;
      const { books } = await (await fetch(marketplace.url)).json();
      if (books.length !== 18) throw new Error(`${marketplace.url}: ${books.length} books`);
      runWrk({ cpu: 1, url: marketplace.url, seconds: 1, connections: PAGE_CONNECTIONS });
    }
    const [small, large] = [stacks[1], stacks[3]];
    const runs = { small: [], large: [] };
    const failed = { small: 0, large: 0 };
    for (let round = 0; round < 3; round += 1) {
      progress(`same page A/B, round ${round + 1} of 3`);
      for (const [name, stack] of [
        ['small', small],
        ['large', large],
      ]) {
        const result = runWrk({ cpu: 1, url: stack.url, seconds: SECONDS, connections: PAGE_CONNECTIONS });
        // The API answers 503 when ListBooks misses its 300 ms deadline: counted, not hidden.
        failed[name] += result.non2xx;
        runs[name].push(result.pagesPerSec);
      }
    }
    return {
      path: '/api/v1/books?limit=18',
      smallPagesPerSec: runs.small.map((r) => round(r, 0)),
      largePagesPerSec: runs.large.map((r) => round(r, 0)),
      largeOverSmall: round(median(runs.large) / median(runs.small)),
      non2xx: failed,
    };
  } finally {
    for (const stack of stacks.reverse()) await stop(stack.child);
  }
}

/**
 * Recommend's own cost, without the network: the domain recommender on 18 books and on the
 * largest catalog (same synthetic titles), 5 alternating rounds of 100,000 calls each (max 3).
 * Far less noisy than h2load on this shared VM.
 */
function recommendInProcess(largest) {
  const { createCatalog, createRecommender, seededRandom, BOOKS } = require('@bookstore/recommendations');
  function* synthetic(count) {
    for (let id = 1; id <= count; id += 1) yield { id, title: `Title ${id}`, author: 'Author', category: (id % 3) + 1 };
  }
  const recommenders = {
    small: createRecommender({ catalog: createCatalog(BOOKS), random: seededRandom(1) }),
    large: createRecommender({
      catalog: createCatalog(synthetic(largest), { capacity: largest }),
      random: seededRandom(1),
    }),
  };
  const nsPerCall = { small: [], large: [] };
  for (let round = 0; round < 5; round += 1) {
    for (const name of ['small', 'large']) {
      const started = process.hrtime.bigint();
      for (let i = 0; i < 100_000; i += 1)
        recommenders[name].recommend({ userId: 1, category: 1 + (i % 3), maxResults: 3 });
      nsPerCall[name].push(Number(process.hrtime.bigint() - started) / 100_000);
    }
  }
  return {
    smallNsPerCall: round(median(nsPerCall.small), 0),
    largeNsPerCall: round(median(nsPerCall.large), 0),
    largeOverSmall: round(median(nsPerCall.large) / median(nsPerCall.small)),
  };
}

/** The whole catalog part; returns what goes under results.catalog. */
async function runCatalogBench() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-catalog-'));
  const started = Date.now();
  try {
    const sizes = {};
    for (const size of SIZES) {
      progress(`${size} books`);
      const file = await catalogFile(dir, size);
      sizes[size] = { ...(await startAndMeasure(file)), ...(await underLoad(file)) };
    }
    progress('Recommend in process');
    const recommendDomain = recommendInProcess(SIZES[SIZES.length - 1]);
    const samePage = await samePageAB(await catalogFile(dir, SIZES[SIZES.length - 1]), SIZES[SIZES.length - 1]);
    const smallest = sizes[SIZES[0]];
    const largest = SIZES[SIZES.length - 1];
    const added = largest - SIZES[0];
    const perBook = {
      startMicros: round(((sizes[largest].startMs - smallest.startMs) * 1000) / added, 2),
      rssBytes: round(((sizes[largest].rssMb - smallest.rssMb) * 1024 * 1024) / added, 0),
    };
    const ratio = (get) => round(get(sizes[largest]) / get(smallest));
    return {
      sizes,
      perBook,
      recommendDomain,
      samePage,
      largestOverSmallest: {
        recommend: ratio((s) => s.recommend.reqPerSec),
        firstPage: ratio((s) => s.pages.first.pagesPerSec),
        deepPage: ratio((s) => s.pages.deep.pagesPerSec),
      },
      durationS: round((Date.now() - started) / 1000, 0),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function printCatalog(catalog) {
  const lines = [
    '',
    'A real-sized catalog (issue 16, part 2)',
    `${'books'.padStart(9)}${'start ms'.padStart(10)}${'RSS MB'.padStart(8)}${'peak'.padStart(7)}${'Recommend/s'.padStart(13)}${'/books p/s'.padStart(12)}${'deep p/s'.padStart(10)}${'p99 ms'.padStart(8)}`,
    ...Object.entries(catalog.sizes).map(
      ([size, s]) =>
        `${size.padStart(9)}${String(s.startMs).padStart(10)}${String(s.rssMb).padStart(8)}${String(s.peakRssMb).padStart(7)}${String(s.recommend.reqPerSec).padStart(13)}${String(s.pages.first.pagesPerSec).padStart(12)}${String(s.pages.deep.pagesPerSec).padStart(10)}${String(s.pages.deep.p99Ms).padStart(8)}`,
    ),
    `Recommend in process (max 3), 18 vs ${Object.keys(catalog.sizes).at(-1)} books: ${catalog.recommendDomain.smallNsPerCall} vs ${catalog.recommendDomain.largeNsPerCall} ns a call, ratio ${catalog.recommendDomain.largeOverSmall}`,
    `the same 18-book API page, 18 vs ${Object.keys(catalog.sizes).at(-1)} books, alternating: ${catalog.samePage.smallPagesPerSec.join(' ')} vs ${catalog.samePage.largePagesPerSec.join(' ')} pages/s, ratio ${catalog.samePage.largeOverSmall}`,
    `per book: ${catalog.perBook.startMicros} µs of start, ${catalog.perBook.rssBytes} bytes of RSS; largest/smallest: Recommend ${catalog.largestOverSmallest.recommend}, first page ${catalog.largestOverSmallest.firstPage}, deep page ${catalog.largestOverSmallest.deepPage} (${catalog.durationS} s)`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

module.exports = { runCatalogBench, printCatalog };

if (require.main === module) {
  runCatalogBench()
    .then((catalog) => {
      printCatalog(catalog);
      if (process.env.BENCH_CATALOG_JSON) process.stdout.write(`${JSON.stringify(catalog, null, 2)}\n`);
    })
    .catch((error) => {
      process.stderr.write(`catalog bench failed: ${error.stack}\n`);
      process.exit(1);
    });
}
