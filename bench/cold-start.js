// Cold start alone (the part of `make bench` that measures it): milliseconds from spawning
// `node dist/main.js` to ready (and the CPU time the service used until then), each service with
// its image's environment (bench/lib/image-env.js), three ways, alternating run by run: without
// Node's compile cache, with an empty one (a new pod's first start, which fills it), and with one
// a previous start filled (a container restarted in its pod: /tmp, an emptyDir, survives). The
// marketplace is ready once connected, so a Recommendations runs (on its port) while it is measured.
//   node bench/cold-start.js [runs=7]
const { spawn } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const { loadavg, tmpdir } = require('node:os');
const { join } = require('node:path');
const { imageEnv } = require('./lib/image-env');
const { coldStart, grpcReady } = require('./lib/readiness');
const { median, round } = require('./lib/stats');

const ROOT = join(__dirname, '..');
const SERVICES = {
  recommendations: {
    script: join(ROOT, 'packages/recommendations/dist/main.js'),
    env: { HOST: '127.0.0.1', PORT: '50074', METRICS_PORT: '9194' },
    kind: 'grpc',
    port: 50074,
  },
  marketplace: {
    script: join(ROOT, 'packages/marketplace/dist/main.js'),
    env: { HOST: '127.0.0.1', PORT: '5074', METRICS_PORT: '9195', RECOMMENDATIONS_ADDR: '127.0.0.1:50074' },
    kind: 'http',
    port: 5074,
    // `/readyz` answers 200 once connected to Recommendations (health/startup-readiness.ts).
    needs: 'recommendations',
  },
};

/** Starts `name` (its image's environment) and resolves once ready, with a function that stops it. */
async function startBacking(name) {
  const { script, env, port } = SERVICES[name];
  const child = spawn(process.execPath, [script], {
    env: { PATH: process.env.PATH, ...imageEnv(name), ...env },
    stdio: 'ignore',
  });
  while (!(await grpcReady(port))) {
    if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return async () => {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  };
}

/**
 * Medians of `runs` cold starts of one service, per cache state, with the service it needs to be
 * ready running meanwhile; the directories are removed after.
 */
async function coldStarts(name, runs) {
  const stopBacking = SERVICES[name].needs ? await startBacking(SERVICES[name].needs) : undefined;
  try {
    return await coldStartsOf(name, runs);
  } finally {
    await stopBacking?.();
  }
}

async function coldStartsOf(name, runs) {
  const service = SERVICES[name];
  const dirs = [];
  const newDir = () => dirs.push(mkdtempSync(join(tmpdir(), 'bench-compile-cache-'))) && dirs.at(-1);
  // The images leave the cache at main.ts's default (/tmp/node-compile-cache): here each case names its own.
  const cache = (dir) => (dir === null ? { NODE_DISABLE_COMPILE_CACHE: '1' } : { NODE_COMPILE_CACHE: dir });
  const start = (dir) => coldStart({ ...service, env: { ...imageEnv(name), ...cache(dir), ...service.env } });
  try {
    const warmDir = newDir();
    // The service writes its cache once ready (persistCompileCache) and at exit: a drained exit.
    await coldStart({
      ...service,
      env: { ...imageEnv(name), ...cache(warmDir), ...service.env },
      stopSignal: 'SIGTERM',
    });
    const times = { noCache: [], emptyCache: [], warmCache: [] };
    for (let i = 0; i < runs; i += 1) {
      times.noCache.push(await start(null));
      times.emptyCache.push(await start(newDir()));
      times.warmCache.push(await start(warmDir));
    }
    const summary = (t) => ({
      medianMs: round(median(t.map((x) => x.ms)), 0),
      medianCpuMs: round(median(t.map((x) => x.cpuMs)), 0),
      runsMs: t.map((x) => round(x.ms, 0)).join(' '),
    });
    return Object.fromEntries(Object.entries(times).map(([k, t]) => [k, summary(t)]));
  } finally {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const runs = Number(process.argv[2] ?? 7);
  const results = { node: process.version, loadAverageAtStart: loadavg().map((l) => round(l)), runs };
  for (const name of Object.keys(SERVICES)) results[name] = await coldStarts(name, runs);
  results.loadAverageAtEnd = loadavg().map((l) => round(l));
  console.log(JSON.stringify(results, null, 2));
}

if (require.main === module) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}

module.exports = { coldStarts };
