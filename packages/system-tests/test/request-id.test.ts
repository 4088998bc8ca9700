import { startMarketplace, startReplicas, stopAll } from './support/bookstore';
import { loadPage } from './support/pages';
import type { ServiceProcess } from './support/processes';

describe('x-request-id across both services', () => {
  const processes: ServiceProcess[] = [];
  afterAll(() => stopAll(processes));

  it('returns the id to the browser and writes it in both services’ logs', async () => {
    const [replica] = await startReplicas(1);
    processes.push(replica as ServiceProcess);
    const marketplace = await startMarketplace(`127.0.0.1:${replica?.port}`);
    processes.push(marketplace);

    const given = await loadPage(`http://127.0.0.1:${marketplace.port}/`, { 'x-request-id': 'trace-me-123' });
    expect(given.headers.get('x-request-id')).toBe('trace-me-123');
    const made = await loadPage(`http://127.0.0.1:${marketplace.port}/books`);
    const madeId = made.headers.get('x-request-id');
    expect(madeId).toMatch(/^[0-9a-f-]{36}$/);

    for (const id of ['trace-me-123', madeId]) {
      // Both write their lines through a pipe: wait for each, then count.
      await marketplace.waitForLog((l) => l.reqId === id && l.msg === 'request completed');
      await replica?.waitForLog((l) => l.requestId === id && l.msg === 'rpc finished');
      expect(replica?.logs.filter((l) => l.requestId === id && l.msg === 'rpc finished')).toHaveLength(1);
    }
  });
});
