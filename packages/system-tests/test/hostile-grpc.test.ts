import { RecommendationServiceClient } from '@bookstore/contracts';
import { fetchMetricsText, rssMb, sampleValue } from '@bookstore/test-support';
import { Client, credentials, Metadata } from '@grpc/grpc-js';
import { eventually, imageEnv, openFds, recommendProblem, watchRss } from './support/hostile';
import { startService, type ServiceProcess } from './support/processes';

const WATCH = '/grpc.health.v1.Health/Watch';
/** The recommendations pod's memory limit (k8s/recommendations.yaml, 192 Mi), in MB. */
const POD_LIMIT_MB = 192; // MiB, as rssMb counts
const identity = (bytes: Buffer) => bytes;

jest.setTimeout(60_000);

/** A HealthCheckRequest for `name`, encoded by hand (field 1, length-delimited). */
function healthRequest(name: string): Buffer {
  const bytes = Buffer.from(name, 'latin1');
  const length: number[] = [];
  for (let n = bytes.length; ; n >>>= 7) {
    if (n < 0x80) {
      length.push(n);
      break;
    }
    length.push((n & 0x7f) | 0x80);
  }
  return Buffer.concat([Buffer.from([0x0a, ...length]), bytes]);
}

async function heapUsedMb(service: ServiceProcess): Promise<number> {
  const text = await fetchMetricsText(service.ready.metricsPort as number);
  return (sampleValue(text, 'nodejs_heap_size_used_bytes') ?? Number.NaN) / 1024 / 1024;
}

describe('recommendations under hostile clients, as shipped (issue 18)', () => {
  let service: ServiceProcess;
  let pid: number;
  let user: RecommendationServiceClient;

  beforeAll(async () => {
    service = await startService('recommendations', imageEnv('recommendations'));
    pid = service.child.pid as number;
    user = new RecommendationServiceClient(`127.0.0.1:${service.port}`, credentials.createInsecure());
    // Connected first: a cold channel's first call can miss 300 ms on a loaded machine.
    await new Promise((resolve) => user.waitForReady(Date.now() + 5000, resolve));
    expect(await userProblem()).toBe('');
  });
  afterAll(async () => {
    user.close();
    await service.stop();
  });

  /** A Recommend call within the marketplace's 300 ms deadline, on the user's long-lived channel. */
  function userProblem(): Promise<string> {
    return recommendProblem(user);
  }

  it('2 × 2,000 Watch calls for unique 30–60 KB service names, cancelled: the names are not kept', async () => {
    const address = `127.0.0.1:${service.port}`;
    const clients = Array.from({ length: 10 }, () => new Client(address, credentials.createInsecure()));
    const watchOnce = (client: Client, name: string) =>
      new Promise<void>((resolve) => {
        const call = client.makeServerStreamRequest(WATCH, identity, identity, healthRequest(name), new Metadata());
        call.once('data', () => call.cancel());
        call.on('error', () => undefined);
        call.on('status', () => resolve());
      });
    /** `count` watches, 10 at a time, each for a name never used before. */
    const attack = async (from: number, count: number) => {
      for (let i = from; i < from + count; i += clients.length) {
        await Promise.all(
          clients.map((client, j) => watchOnce(client, `${i + j}:${'x'.repeat(30_000 + ((i + j) % 30) * 1000)}`)),
        );
      }
    };
    await attack(0, 200); // warm-up
    const before = { rss: rssMb(pid), heap: await heapUsedMb(service), fds: openFds(pid) };
    const rss = watchRss(pid);
    await attack(1_000_000, 2000);
    const during = await userProblem();
    // Until V8 has collected the round's garbage (at most 10 s): names kept stay in the heap.
    const heapBack = async () => {
      let heap = Number.NaN;
      await eventually(async () => (heap = await heapUsedMb(service)) < before.heap + 30, 10_000);
      return heap;
    };
    const firstRound = { rss: rssMb(pid), heap: await heapBack() };
    await attack(2_000_000, 2000);
    for (const client of clients) client.close();
    const afterHeap = await heapBack();
    rss.stop();
    const after = { rss: rssMb(pid), heap: afterHeap, fds: openFds(pid), user: await userProblem() };
    process.stdout.write(`watch names: ${JSON.stringify({ before, peak: rss.peak(), during, firstRound, after })}\n`);
    expect(during).toBe('');
    expect(after.user).toBe('');
    // The names (2,000 × 45 KB = 90 MB a round) are not kept: before the fix the heap held
    // 112 MB after one round and 197 MB after two. The margin is for garbage not yet collected.
    expect(firstRound.heap).toBeLessThan(before.heap + 30);
    expect(after.heap).toBeLessThan(before.heap + 30);
    // RSS: V8's young generation grew to 128 MB on this (large) host (peak 204–218 MB) until the
    // image fixed its semi-spaces at 8 MB (NODE_OPTIONS in Dockerfile.recommendations): 141–144 MB,
    // the same after each round. Below the pod's 192 Mi with 15 % to spare.
    expect(rss.peak()).toBeLessThan(POD_LIMIT_MB * 0.85);
    expect(await eventually(() => openFds(pid) <= before.fds + 2, 5000)).toBe(true);
  });
});
