import { fetchMetricsText, sampleValue } from '@bookstore/test-support';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, openSync, rmSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startMarketplace, stopAll } from './support/bookstore';
import { imageEnv } from './support/hostile';
import { startService, type ServiceProcess } from './support/processes';

/**
 * Linux routes all of 127.0.0.0/8 to lo: connections bound to these local addresses reach the
 * marketplace on 127.0.0.1 as two clients.
 */
const FLOODER = '127.0.0.2';
const READER = '127.0.0.3';
const FLOOD_SECONDS = 5;
const FLOOD_CONNECTIONS = 16;
/** The shipped budgets per address and window (packages/marketplace/src/http/rate-limit.ts). */
const PAGES_MAX = 200;
const BOOK_LISTS_MAX = 30;
const WINDOW_S = 10;

jest.setTimeout(60_000);

interface Answer {
  status: number;
  ms: number;
}

/** GET on `agent`'s keep-alive connections from `localAddress`; the body is read and dropped. */
function timedGet(port: number, path: string, localAddress: string, agent: Agent, headers = {}): Promise<Answer> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const request = get({ host: '127.0.0.1', port, path, localAddress, agent, headers }, (response) => {
      response.resume();
      response.on('end', () => resolve({ status: response.statusCode ?? 0, ms: performance.now() - started }));
      response.on('error', reject);
    });
    request.on('error', reject);
  });
}

const count = (answers: readonly Answer[], status: number) => answers.filter((a) => a.status === status).length;
const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((values.length * p) / 100))] ?? 0;

describe('one address flooding pages and book lists while another reads, as shipped (issue 25)', () => {
  let dir: string;
  let replica: ServiceProcess;
  let market: ServiceProcess;

  beforeAll(async () => {
    // 10,000 books: a `/api/v1/books?limit=100` page is a 101-message ListBooks stream.
    dir = mkdtempSync(join(tmpdir(), 'catalog-'));
    const file = join(dir, 'catalog.jsonl');
    const generator = join(__dirname, '..', '..', '..', 'scripts', 'generate-catalog.js');
    execFileSync(process.execPath, [generator, '10000', '1'], { stdio: ['ignore', openSync(file, 'w'), 'inherit'] });
    replica = await startService('recommendations', { ...imageEnv('recommendations'), CATALOG_FILE: file });
    // As shipped: the image's environment, no RATE_LIMIT_* (startService's test default is unset).
    market = await startMarketplace(`127.0.0.1:${replica.port}`, { ...imageEnv('marketplace'), RATE_LIMIT_MAX: '' });
  });
  afterAll(async () => {
    await stopAll([market, replica]);
    rmSync(dir, { recursive: true, force: true });
  });

  it(`${FLOOD_CONNECTIONS} connections from ${FLOODER} at full speed for ${FLOOD_SECONDS} s, a reader at 5 pages/s from ${READER}`, async () => {
    const listBooksServed = async () =>
      sampleValue(await fetchMetricsText(replica.ready.metricsPort as number), 'grpc_server_handled_total', {
        grpc_method: 'ListBooks',
      }) ?? 0;
    const listBooksBefore = await listBooksServed();
    const logLinesBefore = market.logs.length;
    const end = Date.now() + FLOOD_SECONDS * 1000;

    const flooderAgent = new Agent({ keepAlive: true, maxSockets: FLOOD_CONNECTIONS });
    const flood: Answer[] = [];
    let forged = 0;
    const flooder = async (connection: number) => {
      for (let i = connection; Date.now() < end; i += 1) {
        const path = i % 2 === 0 ? '/?category=mystery' : `/api/v1/books?limit=100&after=${(i * 97) % 9000}`;
        // A forged X-Forwarded-For on every request: not believed without TRUST_PROXY.
        const headers = { 'x-forwarded-for': `198.51.${(forged >> 8) & 255}.${(forged += 1) & 255}` };
        flood.push(await timedGet(market.port, path, FLOODER, flooderAgent, headers));
      }
    };

    const readerAgent = new Agent({ keepAlive: true });
    const reading: Promise<Answer>[] = [];
    const reader = async () => {
      for (let i = 0; Date.now() < end; i += 1) {
        const path = i % 5 === 4 ? '/api/v1/books?limit=100' : '/?category=mystery';
        reading.push(timedGet(market.port, path, READER, readerAgent));
        await sleep(200); // the pace of the reader, not a wait for an outcome
      }
    };

    await Promise.all([reader(), ...Array.from({ length: FLOOD_CONNECTIONS }, (_, c) => flooder(c))]);
    const read = await Promise.all(reading);
    flooderAgent.destroy();
    readerAgent.destroy();

    const metrics = await fetchMetricsText(market.ready.metricsPort as number);
    const limited = ['pages', 'book_lists'].map(
      (budget) => sampleValue(metrics, 'marketplace_http_rate_limited_total', { budget }) ?? 0,
    );
    const readerMs = read.map((a) => a.ms);
    const report = {
      flood: { requests: flood.length, ok: count(flood, 200), limited: count(flood, 429) },
      rateLimitedMetric: limited,
      reader: {
        requests: read.length,
        ok: count(read, 200),
        p50: Math.round(percentile(readerMs, 50)),
        p99: Math.round(percentile(readerMs, 99)),
        max: Math.round(Math.max(...readerMs)),
      },
      listBooksServed: (await listBooksServed()) - listBooksBefore,
      logLines: market.logs.length - logLinesBefore,
    };
    process.stdout.write(`rate limit: ${JSON.stringify(report)}\n`);

    // The reader is served: every answer a 200, none slow.
    expect(report.reader.ok).toBe(read.length);
    expect(report.reader.max).toBeLessThan(2000);
    // The flooder is held to its budgets (the flood spans at most two windows) and told so.
    const windows = Math.ceil(FLOOD_SECONDS / WINDOW_S) + 1;
    expect(report.flood.ok).toBeLessThanOrEqual(windows * (PAGES_MAX + BOOK_LISTS_MAX));
    expect(report.flood.limited).toBeGreaterThan(0);
    expect(report.flood.ok + report.flood.limited).toBe(flood.length);
    expect(limited[0]! + limited[1]!).toBe(report.flood.limited);
    // Recommendations streamed the flooder's book lists up to its budget only (plus the reader's).
    expect(report.listBooksServed).toBeLessThanOrEqual(windows * BOOK_LISTS_MAX + count(read, 200));
    // The 429s are counted, not logged (startService logs every other request).
    expect(market.logs.slice(logLinesBefore).filter((line) => line.statusCode === 429)).toEqual([]);
    expect(report.logLines).toBeLessThanOrEqual(report.flood.ok + read.length + 10);
  });
});
