// ImportEvents with and without gzip (issue #24): bytes on the wire, the CLI's and the server's CPU
// per 100,000 imported events, and both processes' peak RSS. Prints a table; the CLI's default
// (--compression none) comes from these numbers (docs/benchmarks.md).
// Usage: node bench/import.js   (BENCH_IMPORT_EVENTS to change the count)
const { execFile } = require('node:child_process');
const { promisify } = require('node:util');
const { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { createServer, connect } = require('node:net');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { once } = require('node:events');
const { startPinned, stop } = require('./lib/processes');

const ROOT = join(__dirname, '..');
const CLI = join(ROOT, 'packages/cli/dist/main.js');
const EVENTS = Number(process.env.BENCH_IMPORT_EVENTS ?? 100_000);
const PORT = 50095;

/** CPU time (user + system) a process has used, in seconds, from /proc. */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
const peakRssMb = (pid) => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

/** A loopback TCP proxy that counts the bytes each way. */
async function countingProxy(target) {
  const counts = { up: 0, down: 0 };
  const server = createServer((client) => {
    const upstream = connect(target, '127.0.0.1');
    client.on('data', (chunk) => (counts.up += chunk.length));
    upstream.on('data', (chunk) => (counts.down += chunk.length));
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { port: server.address().port, counts, close: () => server.close() };
}

async function writeEvents(file, prefix) {
  const out = createWriteStream(file);
  for (let i = 0; i < EVENTS; i += 1) {
    const line = `{"eventId":"${prefix}-${i.toString(36)}-5f0c3a1e","userId":${1 + (i % 20_000)},"bookId":${1 + (i % 18)},"kind":"READER_EVENT_KIND_VIEWED","occurredAt":"2026-11-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00Z"}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

async function run(dir, compression, server) {
  const file = join(dir, `events-${compression}.jsonl`);
  await writeEvents(file, compression);
  const proxy = await countingProxy(PORT);
  const serverBefore = cpuSeconds(server.pid);
  // bash's `times` prints its children's user and system CPU after the import: the CLI's. Not
  // execFileSync: the proxy runs in this process and must keep forwarding meanwhile.
  const { stdout: out } = await promisify(execFile)(
    'bash',
    [
      '-c',
      `node "${CLI}" --addr 127.0.0.1:${proxy.port} --json import "${file}" --token-file "${join(dir, 'token')}" --insecure-token --compression ${compression}; times`,
    ],
    { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 },
  );
  proxy.close();
  const [summary, , children] = out.trim().split('\n');
  const [user, system] = children.split(/\s+/).map((t) => {
    const m = /(\d+)m([\d.]+)s/.exec(t);
    return Number(m[1]) * 60 + Number(m[2]);
  });
  const result = JSON.parse(summary);
  if (result.accepted !== EVENTS) throw new Error(`expected ${EVENTS} accepted: ${summary}`);
  const per100k = 100_000 / EVENTS;
  return {
    compression,
    sentMb: Math.round((proxy.counts.up / 1e6) * 100) / 100,
    cliCpuSecondsPer100k: Math.round((user + system) * per100k * 100) / 100,
    serverCpuSecondsPer100k: Math.round((cpuSeconds(server.pid) - serverBefore) * per100k * 100) / 100,
  };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-import-'));
  writeFileSync(join(dir, 'token'), 'bench-import-token');
  const server = await startPinned({
    cpu: 0,
    script: join(ROOT, 'packages/recommendations/dist/main.js'),
    env: {
      HOST: '127.0.0.1',
      PORT: String(PORT),
      METRICS_PORT: '9295',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      IMPORT_TOKEN_FILE: join(dir, 'token'),
    },
    port: PORT,
  });
  try {
    const rows = [await run(dir, 'none', server), await run(dir, 'gzip', server)];
    for (const row of rows) {
      console.log(
        `${row.compression.padEnd(5)} ${EVENTS} events: ${row.sentMb} MB sent, CLI ${row.cliCpuSecondsPer100k} s CPU / 100k, server ${row.serverCpuSecondsPer100k} s CPU / 100k`,
      );
    }
    console.log(`server peak RSS ${peakRssMb(server.pid).toFixed(1)} MB`);
    console.log(JSON.stringify({ import: rows }));
  } finally {
    await stop(server);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
