import { RecommendationServiceClient } from '@bookstore/contracts';
import { credentials } from '@grpc/grpc-js';
import { connect, type ClientHttp2Session } from 'node:http2';
import { eventually, imageEnv, openFds, recommendProblem, watchRss } from './support/hostile';
import { rssMb } from '@bookstore/test-support';
import { startService, type ServiceProcess } from './support/processes';

/** The recommendations pod's memory limit (k8s/recommendations.yaml, 192 Mi) and the margin kept below it. */
const POD_LIMIT_MB = 192; // MiB, as rssMb counts
const PEAK_ALLOWED_MB = POD_LIMIT_MB * 0.75;
const ROUNDS = 3;
const CONNECTIONS = 5000;

jest.setTimeout(90_000);

/**
 * `count` HTTP/2 connections that send nothing after the preface, opened as fast as the loop
 * goes; resolves once the server has answered each with its SETTINGS or closed it.
 */
async function idleConnections(address: string, count: number): Promise<ClientHttp2Session[]> {
  const sessions: ClientHttp2Session[] = [];
  const settled: Promise<unknown>[] = [];
  for (let i = 0; i < count; i += 1) {
    const session = connect(`http://${address}`);
    session.on('error', () => undefined);
    sessions.push(session);
    settled.push(new Promise((resolve) => session.once('remoteSettings', resolve).once('close', resolve)));
    if (i % 200 === 199) await new Promise((resolve) => setImmediate(resolve));
  }
  await Promise.all(settled);
  return sessions;
}

describe('recommendations under a flood of idle connections, as shipped (issue 18)', () => {
  let service: ServiceProcess;
  let pid: number;
  let user: RecommendationServiceClient;

  beforeAll(async () => {
    service = await startService('recommendations', imageEnv('recommendations'));
    pid = service.child.pid as number;
    user = new RecommendationServiceClient(`127.0.0.1:${service.port}`, credentials.createInsecure());
    expect(await userProblem()).toBe('');
  });
  afterAll(async () => {
    user.close();
    await service.stop();
  });

  /** A Recommend within the marketplace's 300 ms deadline, once the channel is (re)connected. */
  async function userProblem(): Promise<string> {
    const ready = await new Promise<Error | undefined>((resolve) => user.waitForReady(Date.now() + 3000, resolve));
    if (ready) return `not connected within 3 s: ${ready.message}`;
    return recommendProblem(user);
  }

  it(`${ROUNDS} rounds of ${CONNECTIONS} idle connections: capped, RSS bounded and levelling off, the user served`, async () => {
    const address = `127.0.0.1:${service.port}`;
    const before = { rss: rssMb(pid), fds: openFds(pid) };
    const rss = watchRss(pid);
    const rounds: { held: number; during: string; rss: number; seconds: number[] }[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      const started = Date.now();
      const seconds = () => (Date.now() - started) / 1000;
      const flood = await idleConnections(address, CONNECTIONS);
      const opened = seconds();
      const held = flood.filter((s) => !s.closed && !s.destroyed).length;
      const during = await userProblem();
      const served = seconds();
      for (const session of flood) session.destroy();
      await eventually(() => openFds(pid) <= before.fds + 2, 5000);
      rounds.push({ held, during, rss: Math.round(rssMb(pid)), seconds: [opened, served, seconds()] });
    }
    rss.stop();
    const after = { rss: rssMb(pid), fds: openFds(pid), user: await userProblem() };
    process.stdout.write(`idle connections: ${JSON.stringify({ before, peak: rss.peak(), rounds, after })}\n`);
    for (const round of rounds) {
      expect(round.held).toBeLessThanOrEqual(200); // MAX_CONNECTIONS
      expect(round.during).toBe('');
    }
    expect(rss.peak()).toBeLessThan(PEAK_ALLOWED_MB);
    // Levels off: the last round keeps little more than the first (no cap: +50 MB a round).
    expect(rounds.at(-1)!.rss).toBeLessThan(rounds[0]!.rss + 30);
    expect(after.user).toBe('');
    expect(after.fds).toBeLessThanOrEqual(before.fds + 2);
  });
});
