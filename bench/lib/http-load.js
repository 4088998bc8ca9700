// The homepage under load: wrk for the ceiling (max pages/s), autocannon for a fixed rate.
const { execFileSync } = require('node:child_process');
const { join } = require('node:path');

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

/** autocannon at a fixed overall rate: the latency a steady 500 pages/s sees. */
function runFixedRate({ cpu, url, seconds, rate, connections = 32 }) {
  const bin = join(require.resolve('autocannon/package.json'), '..', 'autocannon.js');
  const out = execFileSync(
    'taskset',
    [
      '-c',
      String(cpu),
      process.execPath,
      bin,
      '-c',
      String(connections),
      '-R',
      String(rate),
      '-d',
      String(seconds),
      '-j',
      url,
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 },
  );
  const result = JSON.parse(out);
  return {
    pagesPerSec: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

module.exports = { runWrk, runFixedRate };
