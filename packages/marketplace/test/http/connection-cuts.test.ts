import { eventually, sampleValue } from '@bookstore/test-support';
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createMarketplaceMetrics, type MarketplaceMetrics } from '../../src/observability/marketplace-metrics';
import { type FakeRecommendations, startFakeRecommendations } from '../support/fake-recommendations';
import { buildTestApp, type TestApp } from '../support/test-app';

/** 1.6 MB from memory: more than a socket's buffers hold, so a client that does not read stalls it. */
const BUNDLE = '/docs/static/swagger-ui-bundle.js';
const CUT_LINE = 'connections closed under their clients (HTTP limits)';

describe('connections the HTTP guards close under a client are counted and logged once a minute (issue 25)', () => {
  let server: FakeRecommendations;
  let metrics: MarketplaceMetrics;
  let t: TestApp;
  let port: number;
  const sockets: Socket[] = [];

  const cut = async (reason: string) =>
    sampleValue(await metrics.registry.metrics(), 'marketplace_http_connections_cut_total', { reason }) ?? 0;
  const cutLines = (reason: string) => t.logs.filter((line) => line.msg === CUT_LINE && line.reason === reason);
  /** A connection that sends `requests` and never reads. */
  const stalled = (requests: string) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.on('error', () => undefined);
    socket.pause();
    socket.write(requests);
    sockets.push(socket);
    return socket;
  };

  beforeEach(async () => {
    server = await startFakeRecommendations();
    metrics = createMarketplaceMetrics();
    t = await buildTestApp({ address: server.address, metrics, env: { HTTP_MAX_CONNECTIONS: '5' } });
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    port = (t.app.server.address() as { port: number }).port;
  });
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy();
    await t.close();
    await server.stop();
  });

  it('pipelining past the limit: every cut counted, one log line', async () => {
    expect(await cut('pipelining')).toBe(0);
    const request = `GET ${BUNDLE} HTTP/1.1\r\nHost: localhost\r\n\r\n`;
    for (let i = 0; i < 3; i += 1) stalled(request.repeat(30));
    expect(await eventually(async () => (await cut('pipelining')) === 3, 10_000)).toBe(true);
    expect(cutLines('pipelining')).toEqual([expect.objectContaining({ level: 40, connections: 1 })]);
  });

  it('the connection cap cutting a response nobody reads: counted by reason, one log line each', async () => {
    // Ten bundles pipelined (under the pipelining limit): more than loopback's kernel buffers take,
    // so the response being written waits on a client that does not read.
    const request = `GET ${BUNDLE} HTTP/1.1\r\nHost: localhost\r\n\r\n`;
    for (let i = 0; i < 5; i += 1) stalled(request.repeat(10));
    // A new connection past the cap is refused; once the stalled ones are over a second old, each
    // refusal also cuts the oldest of them (docs: http/connection-guards.ts). Knock until two are cut.
    const knocked = await eventually(async () => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.on('error', () => undefined);
      sockets.push(socket);
      await sleep(100); // the pace of the knocking, not a wait for its outcome
      return (await cut('cap_stalled')) >= 2;
    }, 10_000);
    expect(knocked).toBe(true);
    expect(await cut('cap_refused')).toBeGreaterThanOrEqual(2);
    expect(cutLines('cap_stalled')).toEqual([expect.objectContaining({ connections: 1 })]);
    expect(cutLines('cap_refused')).toHaveLength(1);
  });
});
