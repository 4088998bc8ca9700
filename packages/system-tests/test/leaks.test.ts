import {
  BookCategory,
  ListBooksRequest,
  RECOMMENDATION_SERVICE_NAME,
  RecommendationServiceClient,
} from '@bookstore/contracts';
import { fetchMetricsText, sampleValue } from '@bookstore/test-support';
import { Client, credentials, Metadata } from '@grpc/grpc-js';
import { INSPECTABLE, type MemoryProbe, type MemorySample, openMemoryProbe } from './support/memory';
import { startService, type ServiceProcess } from './support/processes';

const identity = (bytes: Buffer) => bytes;
const LIST_BOOKS = `/${RECOMMENDATION_SERVICE_NAME}/ListBooks`;

async function activeHandles(service: ServiceProcess): Promise<number> {
  const text = await fetchMetricsText(service.ready.metricsPort as number);
  return sampleValue(text, 'nodejs_active_handles_total') ?? Number.NaN;
}

/** Streams cancelled by the client after the first book. */
async function cancelledStreams(address: string, count: number) {
  const client = new RecommendationServiceClient(address, credentials.createInsecure());
  for (let i = 0; i < count; i += 1) {
    await new Promise<void>((resolve) => {
      const call = client.listBooks(ListBooksRequest.create({ category: BookCategory.BOOK_CATEGORY_UNSPECIFIED }));
      call.once('data', () => call.cancel());
      call.on('error', () => undefined);
      call.on('status', () => resolve());
    });
  }
  client.close();
}

/** A connection per call, closed while the call is in flight. */
function abruptDisconnects(address: string, count: number) {
  for (let i = 0; i < count; i += 1) {
    const client = new Client(address, credentials.createInsecure());
    const call = client.makeServerStreamRequest(LIST_BOOKS, identity, identity, Buffer.alloc(0), new Metadata());
    call.on('error', () => undefined);
    client.close();
    call.cancel();
  }
}

/** ListBooks calls the server has started and not yet ended, from its own metrics. */
async function listBooksInFlight(service: ServiceProcess): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${service.ready.metricsPort as number}/metrics`)).text();
  const started = sampleValue(text, 'grpc_server_started_total', { grpc_method: 'ListBooks' }) ?? 0;
  return started - (sampleValue(text, 'grpc_server_handling_seconds_count', { grpc_method: 'ListBooks' }) ?? 0);
}

/**
 * Waits until the server has ended every abandoned call. A Recommend answered first on the same
 * (pooled) connection means the server has read every frame sent before it; the cancellations
 * it read then end their calls. Bounded: throws after 10 s.
 */
async function abandonedCallsEnded(service: ServiceProcess): Promise<void> {
  const client = new RecommendationServiceClient(`127.0.0.1:${service.port}`, credentials.createInsecure());
  await new Promise((resolve) =>
    client.recommend({ userId: 1, category: BookCategory.BOOK_CATEGORY_MYSTERY, maxResults: 1 }, resolve),
  );
  client.close();
  const deadline = Date.now() + 10_000;
  for (let open = await listBooksInFlight(service); open > 0; open = await listBooksInFlight(service)) {
    if (Date.now() > deadline) throw new Error(`${open} ListBooks calls still open after 10 s`);
  }
}

/** Memory after full collections (RSS before them depends on when V8 collects): logged, returned. */
async function retained(memory: MemoryProbe, label: string): Promise<MemorySample> {
  const sample = await memory.sample();
  process.stdout.write(`leaks ${label} ${JSON.stringify(sample)}\n`);
  return sample;
}

describe('no leaks in recommendations under abandoned calls', () => {
  let service: ServiceProcess;
  let memory: MemoryProbe;
  beforeAll(async () => {
    service = await startService('recommendations', {}, INSPECTABLE);
    memory = await openMemoryProbe(service);
  });
  afterAll(async () => {
    await memory?.close();
    await service?.stop();
  });

  it('returns to its baseline of handles and RSS after 1,000 cancelled streams and 1,000 abrupt disconnects', async () => {
    const address = `127.0.0.1:${service.port}`;
    // Warm up, so lazily built state is not counted as growth; then let the calls end.
    await cancelledStreams(address, 200);
    abruptDisconnects(address, 200);
    await abandonedCallsEnded(service);
    const baseline = { handles: await activeHandles(service), memory: await retained(memory, 'baseline') };
    await cancelledStreams(address, 1000);
    abruptDisconnects(address, 1000);
    await abandonedCallsEnded(service);
    const after = { handles: await activeHandles(service), memory: await retained(memory, 'after') };
    expect(after.handles).toBeLessThanOrEqual(baseline.handles + 2);
    expect(after.memory.retainedRssMb - baseline.memory.retainedRssMb).toBeLessThan(30);
  });

  it('keeps RSS flat through 200 gzip requests that inflate past the limit', async () => {
    const client = new Client(`127.0.0.1:${service.port}`, credentials.createInsecure(), {
      'grpc.default_compression_algorithm': 2,
    });
    // A RecommendRequest padded with an 8 MiB unknown field of zeros: ~8 KiB gzipped.
    const bomb = Buffer.concat([
      Buffer.from([0x08, 0x01, 0x10, 0x01, 0x18, 0x01, 0x7a, 0x80, 0x80, 0x80, 0x04]),
      Buffer.alloc(8 * 1024 * 1024),
    ]);
    const send = () =>
      new Promise<number>((resolve) =>
        client.makeUnaryRequest(`/${RECOMMENDATION_SERVICE_NAME}/Recommend`, identity, identity, bomb, (e) =>
          resolve(e?.code ?? 0),
        ),
      );
    // Each call is over once the server has logged it (the client may see the status first).
    const exhausted = (l: Record<string, unknown>) => l.msg === 'rpc finished' && l.code === 'RESOURCE_EXHAUSTED';
    const logged = (count: number) => service.waitForLog(() => service.logs.filter(exhausted).length >= count);
    const already = service.logs.filter(exhausted).length;
    for (let i = 0; i < 20; i += 1) await send();
    await logged(already + 20);
    const before = await retained(memory, 'before gzip');
    const codes = new Set<number>();
    for (let i = 0; i < 200; i += 1) codes.add(await send());
    await logged(already + 220);
    client.close();
    expect([...codes]).toEqual([8]); // RESOURCE_EXHAUSTED, every time
    expect((await retained(memory, 'after gzip')).retainedRssMb - before.retainedRssMb).toBeLessThan(20);
  });
});
