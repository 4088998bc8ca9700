// `make bench-mtls`: homepage pages/s with plaintext and with mutual TLS between the two services.
// Both built services on core 0, wrk on core 1 (32 connections, 10 s), alternating modes for
// ROUNDS rounds so drift on a shared machine hits both alike; prints each run and the medians.
const { mkdtempSync, rmSync } = require('node:fs');
const { createServer } = require('node:net');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { writeDevCertificates } = require('../packages/dev-certificates/dist');
const { runWrk } = require('./lib/http-load');
const { startPinned, stop } = require('./lib/processes');

const ROOT = join(__dirname, '..');
const ROUNDS = Number(process.env.ROUNDS || 3);
const SECONDS = Number(process.env.SECONDS_PER_RUN || 10);

function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function tlsEnv(certs) {
  const file = (service, name) => join(certs, service, name);
  return {
    recommendations: {
      TLS_CERT_FILE: file('recommendations', 'tls.crt'),
      TLS_KEY_FILE: file('recommendations', 'tls.key'),
      TLS_CLIENT_CA_FILE: file('recommendations', 'ca.crt'),
      TLS_ALLOWED_CLIENTS: 'marketplace',
    },
    marketplace: {
      RECOMMENDATIONS_TLS_CA_FILE: file('marketplace', 'ca.crt'),
      RECOMMENDATIONS_TLS_CERT_FILE: file('marketplace', 'tls.crt'),
      RECOMMENDATIONS_TLS_KEY_FILE: file('marketplace', 'tls.key'),
    },
  };
}

async function measure(mode, tls) {
  const [grpcPort, httpPort, ...others] = await Promise.all([1, 2, 3, 4, 5].map(freePort));
  const common = { LOG_LEVEL: 'info', HOST: '127.0.0.1' };
  const recommendations = await startPinned({
    cpu: 0,
    script: join(ROOT, 'packages/recommendations/dist/main.js'),
    port: grpcPort,
    env: {
      ...common,
      PORT: String(grpcPort),
      METRICS_PORT: String(others[0]),
      HEALTH_PORT: String(others[1]),
      ...(tls?.recommendations ?? {}),
    },
  });
  const marketplace = await startPinned({
    cpu: 0,
    script: join(ROOT, 'packages/marketplace/dist/main.js'),
    port: httpPort,
    env: {
      ...common,
      PORT: String(httpPort),
      METRICS_PORT: String(others[2]),
      RECOMMENDATIONS_ADDR: `localhost:${grpcPort}`,
      RATE_LIMIT_MAX: '0', // load from one address: the per-address rate limit off
      ...(tls?.marketplace ?? {}),
    },
  });
  try {
    const page = await (await fetch(`http://127.0.0.1:${httpPort}/`)).text();
    const books = (page.match(/<li class="book">/g) ?? []).length;
    if (books !== 3) throw new Error(`${mode}: the homepage shows ${books} books, not 3`);
    const result = runWrk({ cpu: 1, url: `http://127.0.0.1:${httpPort}/`, seconds: SECONDS });
    if (result.non2xx > 0 || result.errors)
      throw new Error(`${mode}: ${result.non2xx} non-2xx, errors ${result.errors}`);
    const after = await (await fetch(`http://127.0.0.1:${httpPort}/`)).text();
    if (after.includes('unavailable')) throw new Error(`${mode}: pages were degraded`);
    return result;
  } finally {
    await stop(marketplace);
    await stop(recommendations);
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function main() {
  const certs = mkdtempSync(join(tmpdir(), 'bench-mtls-'));
  try {
    await writeDevCertificates(certs);
    const runs = { plaintext: [], mtls: [] };
    for (let round = 1; round <= ROUNDS; round += 1) {
      for (const mode of ['plaintext', 'mtls']) {
        const result = await measure(mode, mode === 'mtls' ? tlsEnv(certs) : undefined);
        runs[mode].push(result);
        console.log(
          `round ${round} ${mode.padEnd(9)} ${result.pagesPerSec.toFixed(0)} pages/s  p50 ${result.p50Ms} ms  p99 ${result.p99Ms} ms`,
        );
      }
    }
    const summary = (mode) => ({
      pagesPerSec: median(runs[mode].map((r) => r.pagesPerSec)),
      p99Ms: median(runs[mode].map((r) => r.p99Ms)),
    });
    const plain = summary('plaintext');
    const mtls = summary('mtls');
    console.log(`median plaintext ${plain.pagesPerSec.toFixed(0)} pages/s (p99 ${plain.p99Ms} ms)`);
    console.log(`median mtls      ${mtls.pagesPerSec.toFixed(0)} pages/s (p99 ${mtls.p99Ms} ms)`);
    console.log(`mtls / plaintext ${(mtls.pagesPerSec / plain.pagesPerSec).toFixed(2)}`);
  } finally {
    rmSync(certs, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error.stack);
  process.exit(1);
});
