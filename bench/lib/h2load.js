// Recommend under h2load: gRPC-framed POSTs, latency from h2load's per-request log, answers verified.
const { RecommendRequest } = require('@bookstore/contracts');
const { execFileSync } = require('node:child_process');
const { mkdtempSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');
const { percentile } = require('./stats');

const PATH = '/bookstore.recommendations.v1.RecommendationService/Recommend';
const work = mkdtempSync(join(tmpdir(), 'bench-h2load-'));

/** A length-prefixed gRPC message: flag 0 (uncompressed), 4-byte big-endian length, the bytes. */
function grpcFrame(request) {
  const message = Buffer.from(RecommendRequest.encode(request).finish());
  const prefix = Buffer.alloc(5);
  prefix.writeUInt32BE(message.length, 1);
  return Buffer.concat([prefix, message]);
}

/** Per-request durations (µs) from an h2load --log-file: start, status, duration per line. */
function requestMicros(log) {
  return readFileSync(log, 'utf8')
    .trim()
    .split('\n')
    .map((line) => Number(line.split('\t')[2]));
}

/**
 * One h2load run from the load core. h2load counts HTTP 200 even when grpc-status is not 0, so
 * the caller also checks the server's own counters and the bytes per response.
 */
function runH2load({
  cpu,
  port,
  seconds,
  warmupSeconds = 0,
  clients = 8,
  streams = 16,
  request = { userId: 1, category: 1, maxResults: 3 },
}) {
  const body = join(work, 'recommend.bin');
  writeFileSync(body, grpcFrame(request));
  const log = join(work, 'requests.log');
  // h2load appends to its log file: start each run with an empty one.
  rmSync(log, { force: true });
  const args = ['-c', String(cpu), 'h2load', '-c', String(clients), '-m', String(streams), '-D', String(seconds)];
  if (warmupSeconds > 0) args.push('--warm-up-time', String(warmupSeconds));
  args.push('-H', 'content-type: application/grpc', '-H', 'te: trailers', '-d', body, '--log-file', log);
  args.push(`http://127.0.0.1:${port}${PATH}`);
  const out = execFileSync('taskset', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const reqPerSec = Number(/finished in [\d.]+\w+, ([\d.]+) req\/s/.exec(out)[1]);
  const [, , , , succeeded, failed, errored] =
    /requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored/
      .exec(out)
      .map(Number);
  const dataBytes = Number(/traffic: .*?, ([\d.]+)(\w*)B? \(\d+\) data/.exec(out)?.[1] ?? Number.NaN);
  const exactData = Number(
    /traffic: [^(]*\((\d+)\) total, [^(]*\((\d+)\) headers[^,]*, [^(]*\((\d+)\) data/.exec(out)?.[3] ?? dataBytes,
  );
  const micros = requestMicros(log);
  return {
    reqPerSec,
    succeeded,
    failed,
    errored,
    bytesPerResponse: exactData / succeeded,
    p50Ms: percentile(micros, 50) / 1000,
    p99Ms: percentile(micros, 99) / 1000,
  };
}

module.exports = { runH2load, grpcFrame, requestMicros };
