// The homepage under load: wrk for the most pages/s, h2load (HTTP/1.1, paced) for a fixed rate.
const { execFileSync } = require('node:child_process');
const { mkdtempSync, rmSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { requestMicros } = require('./h2load');
const { percentile, round } = require('./stats');

const work = mkdtempSync(join(tmpdir(), 'bench-http-'));

function toMs(value, unit) {
  return unit === 'us' ? value / 1000 : unit === 's' ? value * 1000 : value;
}

/** wrk, no pipelining, from the load core: pages/s and p50/p99 in ms, and non-2xx answers. */
function runWrk({ cpu, url, seconds, connections = 32 }) {
  const out = execFileSync(
    'taskset',
    ['-c', String(cpu), 'wrk', '-t1', `-c${connections}`, `-d${seconds}s`, '--latency', url],
    {
      encoding: 'utf8',
    },
  );
  const latency = (p) => {
    const m = new RegExp(`^\\s+${p}%\\s+([\\d.]+)(us|ms|s)`, 'm').exec(out);
    return toMs(Number(m[1]), m[2]);
  };
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(out)?.[1] ?? 0);
  const errors = /Socket errors: (.*)/.exec(out)?.[1] ?? '';
  return {
    pagesPerSec: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)[1]),
    p50Ms: latency(50),
    p99Ms: latency(99),
    non2xx,
    errors,
  };
}

/**
 * A steady rate: h2load over HTTP/1.1, `connections` clients each sending `rate / connections`
 * requests per second on its own timer, one request in flight per connection (no pipelining).
 * (autocannon's -R, used before, refills its budget once a second, so every second began with a
 * burst of all connections at once: that measured a burst's queue, not a steady 500/s.)
 * Latency per request comes from h2load's log.
 */
function runFixedRate({ cpu, url, seconds, rate, connections = 10 }) {
  const log = join(work, 'paced.log');
  rmSync(log, { force: true });
  const perConnection = String(rate / connections);
  const out = execFileSync(
    'taskset',
    [
      '-c',
      String(cpu),
      'h2load',
      '--h1',
      '-c',
      String(connections),
      '--rps',
      perConnection,
      '-D',
      String(seconds),
    ].concat(['--log-file', log, url]),
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  const [, , , , succeeded, failed, errored] =
    /requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored/
      .exec(out)
      .map(Number);
  const [, clientErrors, serverErrors] = (/status codes: \d+ 2xx, \d+ 3xx, (\d+) 4xx, (\d+) 5xx/.exec(out) ?? []).map(
    Number,
  );
  const micros = requestMicros(log);
  return {
    pagesPerSec: Number(/finished in [\d.]+\w+, ([\d.]+) req\/s/.exec(out)[1]),
    p50Ms: round(percentile(micros, 50) / 1000),
    p99Ms: round(percentile(micros, 99) / 1000),
    non2xx: (clientErrors || 0) + (serverErrors || 0) + failed + errored,
    errors: succeeded === 0 ? 'no request succeeded' : '',
  };
}

module.exports = { runWrk, runFixedRate };
