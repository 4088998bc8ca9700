import { RecommendationServiceClient } from '@bookstore/contracts';
import { credentials } from '@grpc/grpc-js';
import { connect, type ClientHttp2Session, type ClientHttp2Stream } from 'node:http2';
import { once } from 'node:events';
import { eventually, imageEnv, recommendProblem, watchRss } from './support/hostile';
import { INSPECTABLE, openMemoryProbe, type MemoryProbe } from './support/memory';
import { startService, type ServiceProcess } from './support/processes';

const REFLECTION_INFO = '/grpc.reflection.v1.ServerReflection/ServerReflectionInfo';
const CONTRACT_FILE = 'bookstore/recommendations/v1/recommendations.proto';
/** The recommendations pod's memory limit (k8s/recommendations.yaml, 192 Mi) and 75 % of it. */
const POD_LIMIT_MB = 192; // MiB, as rssMb counts
const PEAK_ALLOWED_MB = POD_LIMIT_MB * 0.75;
/** How long the attacker sends: long enough that an unbounded server passes the limit (it did in ~10 s). */
const ATTACK_MS = 15_000;

jest.setTimeout(90_000);

/** One gRPC frame of a ServerReflectionRequest asking `file_by_filename` (field 3) for `name`. */
function fileByFilenameFrame(name: string): Buffer {
  const bytes = Buffer.from(name);
  const message = Buffer.concat([Buffer.from([0x1a, bytes.length]), bytes]);
  const frame = Buffer.alloc(5 + message.length);
  frame.writeUInt32BE(message.length, 1);
  message.copy(frame, 5);
  return frame;
}

/** Opens a ServerReflectionInfo stream on a connection that grants the server no window: it can never answer. */
function openUnreadReflection(
  port: number,
  streamWindow = 0,
): { session: ClientHttp2Session; stream: ClientHttp2Stream } {
  const session = connect(`http://127.0.0.1:${port}`, { settings: { initialWindowSize: streamWindow } });
  session.on('error', () => undefined);
  const stream = session.request({
    ':method': 'POST',
    ':path': REFLECTION_INFO,
    'content-type': 'application/grpc',
    te: 'trailers',
  });
  stream.on('error', () => undefined);
  stream.pause();
  return { session, stream };
}

/**
 * Writes requests as fast as the server takes them, for `ms` or until `enough()`: whenever the
 * stream's buffer is full it waits for 'drain' (so the attacker's own memory stays bounded).
 * Resolves with how many were written; a server that stops reading stops taking them.
 */
async function spam(stream: ClientHttp2Stream, ms: number, enough: () => boolean): Promise<number> {
  const frame = fileByFilenameFrame(CONTRACT_FILE);
  const until = Date.now() + ms;
  let sent = 0;
  while (Date.now() < until && !stream.destroyed && !enough()) {
    for (let i = 0; i < 100; i += 1) {
      sent += 1;
      if (!stream.write(frame)) break;
    }
    if (stream.writableNeedDrain) {
      // Checked every 200 ms: a server that stopped reading never drains it.
      await once(stream, 'drain', { signal: AbortSignal.timeout(200) }).catch(() => undefined);
    } else await new Promise((resolve) => setImmediate(resolve));
  }
  return sent;
}

describe('recommendations against a reflection client that never reads, as shipped (issue 25)', () => {
  let service: ServiceProcess;
  let probe: MemoryProbe;
  let user: RecommendationServiceClient;

  beforeAll(async () => {
    service = await startService('recommendations', imageEnv('recommendations'), INSPECTABLE);
    probe = await openMemoryProbe(service);
    user = new RecommendationServiceClient(`127.0.0.1:${service.port}`, credentials.createInsecure());
    await new Promise((resolve) => user.waitForReady(Date.now() + 5000, resolve));
  });
  afterAll(async () => {
    user.close();
    await probe.close();
    await service.stop();
  });

  it(`one ServerReflectionInfo stream spamming file_by_filename for ${ATTACK_MS / 1000} s: RSS bounded, back after`, async () => {
    const pid = service.child.pid as number;
    const start = await probe.sample();
    const rss = watchRss(pid);
    const attack = openUnreadReflection(service.port);
    // Stopped past the pod's limit, where Kubernetes would have killed it (main reached 1.3 GB).
    const sent = await spam(attack.stream, ATTACK_MS, () => rss.peak() > POD_LIMIT_MB);
    const during = await recommendProblem(user);
    const peak = rss.peak();
    attack.session.destroy();
    rss.stop();
    // After the client leaves, what the process keeps (two full collections, then RSS): polled
    // for up to 20 s, as freed pages return to the kernel in V8's own time.
    let after = await probe.sample();
    await eventually(async () => {
      after = await probe.sample();
      return after.retainedRssMb <= start.retainedRssMb * 1.1;
    }, 20_000);
    process.stdout.write(
      `unread reflection: ${JSON.stringify({ start: start.retainedRssMb, sent, peak, during, after })}\n`,
    );
    expect(during).toBe('');
    expect(peak).toBeLessThan(PEAK_ALLOWED_MB);
    expect(after.retainedRssMb).toBeLessThanOrEqual(start.retainedRssMb * 1.1);
    expect(await recommendProblem(user)).toBe('');
  });
});
