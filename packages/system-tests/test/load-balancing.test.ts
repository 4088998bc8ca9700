import { ipv4Target, recommendCallsServed, startMarketplace, startReplicas, stopAll } from './support/bookstore';
import { isFailedPage, loadPage } from './support/pages';
import type { ServiceProcess } from './support/processes';

const PAGES = 300;

describe('marketplace over three recommendations replicas', () => {
  let replicas: ServiceProcess[] = [];
  let marketplace: ServiceProcess | undefined;
  afterEach(async () => {
    await stopAll([marketplace, ...replicas]);
    marketplace = undefined;
    replicas = [];
  });

  it(`spreads ${PAGES} page loads so each replica serves at least 20% of the calls`, async () => {
    replicas = await startReplicas(3);
    marketplace = await startMarketplace(ipv4Target(replicas));
    const pages = [];
    for (let i = 0; i < PAGES; i += 1) pages.push(await loadPage(`http://127.0.0.1:${marketplace.port}/`));
    expect(pages.filter(isFailedPage)).toEqual([]);
    const served = await Promise.all(replicas.map(recommendCallsServed));
    // At least one call a page; a few more when a call slower than the hedging delay (25 ms) was
    // hedged and both attempts answered (hedging.test.ts).
    expect(served.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(PAGES);
    for (const count of served) expect(count).toBeGreaterThanOrEqual(PAGES * 0.2);
  });

  it(`fails no page when one replica stops (SIGTERM) during ${PAGES} page loads`, async () => {
    replicas = await startReplicas(3);
    marketplace = await startMarketplace(ipv4Target(replicas));
    const pages = [];
    let stopped: Promise<number | null> | undefined;
    for (let i = 0; i < PAGES; i += 1) {
      if (i === PAGES / 3) stopped = replicas[0]?.stop('SIGTERM');
      pages.push(await loadPage(`http://127.0.0.1:${marketplace.port}/`));
    }
    expect(await stopped).toBe(0);
    expect(pages.filter(isFailedPage)).toEqual([]);
    const [first = 0, ...rest] = await Promise.all(replicas.slice(1).map(recommendCallsServed));
    expect(first + rest.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual((PAGES * 2) / 3);
  });
});
