// Does an import's memory grow with the file? (issue #24: "1 million events import without the
// CLI's or the server's memory growing with the file"). Imports 100,000 then 1,000,000 events into
// one Recommendations process (embedded store) and prints each side's peak RSS (VmHWM), polled
// from /proc. Usage: node bench/import-memory.js   (about 3 minutes here)
const { spawn } = require('node:child_process');
const { createWriteStream, mkdtempSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { once } = require('node:events');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { setInterval, clearInterval } = require('node:timers');
const { startPinned, stop } = require('./lib/processes');

const ROOT = join(__dirname, '..');
const CLI = join(ROOT, 'packages/cli/dist/main.js');
const PORT = 50096;
const peakRssMb = (pid) => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

async function writeEvents(file, count, prefix) {
  const out = createWriteStream(file);
  for (let i = 0; i < count; i += 1) {
    const line = `{"eventId":"${prefix}-${i}","userId":${1 + (i % 20_000)},"bookId":${1 + (i % 18)},"kind":"READER_EVENT_KIND_VIEWED"}\n`;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

async function importFile(file, tokenFile) {
  const child = spawn(
    process.execPath,
    [CLI, '--addr', `127.0.0.1:${PORT}`, '--json', 'import', file, '--insecure-token'],
    {
      env: { PATH: process.env.PATH, BOOKSTORE_IMPORT_TOKEN_FILE: tokenFile },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let peak = 0;
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, peakRssMb(child.pid));
    } catch {
      // exited between two polls
    }
  }, 200);
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  const started = performance.now();
  const [code] = await once(child, 'exit');
  clearInterval(timer);
  if (code !== 0) throw new Error(`import exited ${code}: ${out}`);
  return {
    summary: JSON.parse(out),
    cliPeakRssMb: Math.round(peak),
    seconds: Math.round((performance.now() - started) / 100) / 10,
  };
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-import-memory-'));
  writeFileSync(join(dir, 'token'), 'bench-import-token');
  const server = await startPinned({
    cpu: 0,
    script: join(ROOT, 'packages/recommendations/dist/main.js'),
    env: {
      HOST: '127.0.0.1',
      PORT: String(PORT),
      METRICS_PORT: '9296',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
      IMPORT_TOKEN_FILE: join(dir, 'token'),
    },
    port: PORT,
  });
  try {
    for (const count of [100_000, 1_000_000]) {
      const file = join(dir, `events-${count}.jsonl`);
      await writeEvents(file, count, `m${count}`);
      const result = await importFile(file, join(dir, 'token'));
      if (result.summary.rejected !== 0) throw new Error(`rejected: ${JSON.stringify(result.summary)}`);
      console.log(
        `${count} events: accepted ${result.summary.accepted} in ${result.seconds} s; CLI peak RSS ${result.cliPeakRssMb} MB; server peak RSS so far ${Math.round(peakRssMb(server.pid))} MB`,
      );
      rmSync(file);
    }
  } finally {
    await stop(server);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
