import { setTimeout as sleep } from 'node:timers/promises';
import { rssMb as processRssMb } from '@bookstore/test-support';
import type { ServiceProcess } from './processes';

/**
 * Node flags for a service whose memory a test reads: the inspector on a free loopback port, so
 * the test can run a full garbage collection before reading RSS (docs/reliability.md, "Memory").
 */
export const INSPECTABLE = ['--inspect=127.0.0.1:0'];

export interface MemorySample {
  /** RSS as the kernel counts it, before collecting: includes garbage not yet collected. */
  readonly rssMb: number;
  /** V8's young generation as sized at that moment (it grows up to 128 MB on Node 24). */
  readonly newSpaceMb: number;
  /** RSS after two full collections: what the process retains. Leaks show here. */
  readonly retainedRssMb: number;
  /** After the collections: live JS heap, memory outside it that V8 knows of, and Buffers. */
  readonly heapUsedMb: number;
  readonly externalMb: number;
  readonly arrayBuffersMb: number;
}

export interface MemoryProbe {
  sample(): Promise<MemorySample>;
  close(): Promise<void>;
}

const mb = (bytes: number) => Math.round(bytes / 104857.6) / 10;
const rssMb = (pid: number) => Math.round(processRssMb(pid) * 10) / 10;

async function inspectorUrl(service: ServiceProcess): Promise<string> {
  for (let waited = 0; waited < 5000; waited += 50) {
    const url = /ws:\/\/127\.0\.0\.1:\d+\/[\w-]+/.exec(service.stderr())?.[0];
    if (url !== undefined) return url;
    await sleep(50);
  }
  throw new Error(`no inspector address on stderr: was the service started with ${INSPECTABLE.join(' ')}?`);
}

/**
 * Reads a service's memory over the Chrome DevTools Protocol (the service was started with
 * INSPECTABLE). Needs the global WebSocket (Node >= 22, which the Makefile runs tests on).
 */
export async function openMemoryProbe(service: ServiceProcess): Promise<MemoryProbe> {
  if (typeof WebSocket === 'undefined') throw new Error(`memory probe needs Node >= 22, not ${process.version}`);
  const socket = new WebSocket(await inspectorUrl(service));
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = () => reject(new Error('cannot connect to the inspector'));
  });
  let lastId = 0;
  const pending = new Map<number, { resolve: (result: unknown) => void; reject: (error: Error) => void }>();
  socket.onmessage = (event: MessageEvent) => {
    const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
    if (message.id !== undefined) pending.get(message.id)?.resolve(message.result);
    pending.delete(message.id ?? 0);
  };
  // A service that dies mid-sample fails the test at once instead of at the jest timeout.
  socket.addEventListener('close', () => {
    for (const { reject } of pending.values()) reject(new Error('inspector connection closed'));
  });
  const call = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve, reject) => {
      lastId += 1;
      pending.set(lastId, { resolve, reject });
      socket.send(JSON.stringify({ id: lastId, method, params }));
    });
  const memoryUsage = async () => {
    const expression = `JSON.stringify({ ...process.memoryUsage(), newSpace: process.getBuiltinModule('v8')
      .getHeapSpaceStatistics().find((space) => space.space_name === 'new_space').space_size })`;
    const reply = (await call('Runtime.evaluate', { expression, returnByValue: true })) as {
      result: { value: string };
    };
    return JSON.parse(reply.result.value) as NodeJS.MemoryUsage & { newSpace: number };
  };
  const pid = service.child.pid as number;
  return {
    async sample() {
      const rss = rssMb(pid);
      const before = await memoryUsage();
      await call('HeapProfiler.collectGarbage');
      await call('HeapProfiler.collectGarbage');
      const after = await memoryUsage();
      return {
        rssMb: rss,
        newSpaceMb: mb(before.newSpace),
        retainedRssMb: rssMb(pid),
        heapUsedMb: mb(after.heapUsed),
        externalMb: mb(after.external),
        arrayBuffersMb: mb(after.arrayBuffers),
      };
    },
    async close() {
      const closed = new Promise((resolve) => socket.addEventListener('close', resolve));
      socket.close();
      await Promise.race([closed, sleep(1000)]);
    },
  };
}
