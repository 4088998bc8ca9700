import { status as Status } from '@grpc/grpc-js';
import { setTimeout as sleep } from 'node:timers/promises';
import { ipv4Target, startMarketplace } from './support/bookstore';
import { type FaultReplica, startFaultReplicas } from './support/fault-replica';
import { isFailedPage, loadPage, type PageResult } from './support/pages';
import type { ServiceProcess } from './support/processes';

/** Consecutive whole pages taken to mean the failing replica is out of the rotation. */
const STREAK = 50;

describe('outlier detection (issue #24): one of three replicas answers INTERNAL to half its calls', () => {
  let replicas: FaultReplica[] = [];
  let marketplace: ServiceProcess | undefined;
  afterEach(async () => {
    await marketplace?.stop('SIGKILL');
    for (const replica of replicas) replica.stop();
  });

  it('is ejected within seconds, pages recover, and it is sent calls again once healthy', async () => {
    replicas = await startFaultReplicas(3, { failWith: Status.INTERNAL, failEvery: 2 });
    marketplace = await startMarketplace(ipv4Target(replicas));
    const home = `http://127.0.0.1:${marketplace.port}/`;
    const [bad, ...good] = replicas as [FaultReplica, ...FaultReplica[]];

    // Until STREAK whole pages in a row: grpc-js checks every second (1 s interval) and judges
    // the second before, so ejection takes 1–2 s; 8 s leaves a loaded machine room.
    const started = performance.now();
    const failed: PageResult[] = [];
    let streak = 0;
    while (streak < STREAK && performance.now() - started < 8000) {
      const page = await loadPage(home);
      if (isFailedPage(page)) failed.push(page);
      streak = isFailedPage(page) ? 0 : streak + 1;
    }
    expect(streak).toBe(STREAK);
    // Before the ejection, the failing replica's INTERNAL answers are errors, not outages (the
    // failure policy in recommendations/client.ts): the generic 500 page, never a partial one.
    expect(failed.length).toBeGreaterThan(0);
    expect(new Set(failed.map((page) => page.status))).toEqual(new Set([500]));

    // Ejected: the next pages are all whole and none of their calls reaches it.
    const badBefore = bad.calls;
    const goodBefore = good.map((replica) => replica.calls);
    for (let i = 0; i < STREAK; i += 1) expect(isFailedPage(await loadPage(home))).toBe(false);
    expect(bad.calls).toBe(badBefore);
    good.forEach((replica, i) => expect(replica.calls - goodBefore[i]!).toBeGreaterThanOrEqual(STREAK / 4));

    // Healthy again: back after the ejection time (5 s, 10 s if it was ejected twice; checked
    // every 1 s), so within 15 s; a page every 20 ms keeps calls flowing meanwhile.
    bad.set({});
    const healed = performance.now();
    while (bad.calls === badBefore && performance.now() - healed < 15_000) {
      expect(isFailedPage(await loadPage(home))).toBe(false);
      await sleep(20);
    }
    expect(bad.calls).toBeGreaterThan(badBefore);
    for (let i = 0; i < STREAK; i += 1) expect(isFailedPage(await loadPage(home))).toBe(false);
  }, 40_000);
});
