import { fetchMetricsText } from '@bookstore/test-support';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually } from './support/hostile';
import { startService } from './support/processes';

/** Every file under `dir`, recursively; none if it does not exist. */
function filesUnder(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((e) => e.name);
  } catch {
    return [];
  }
}

describe.each(['recommendations', 'marketplace'] as const)("%s: Node's compile cache (main.ts)", (service) => {
  const env = { RECOMMENDATIONS_ADDR: '127.0.0.1:1' };
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'compile-cache-test-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is kept under the temporary directory (TMPDIR; /tmp in the images), written soon after ready: a kill loses nothing', async () => {
    const running = await startService(service, { ...env, TMPDIR: dir });
    const written = () => filesUnder(join(dir, 'node-compile-cache')).length > 50;
    expect(await eventually(written, 10_000)).toBe(true);
    await running.stop('SIGKILL');
    expect(written()).toBe(true);
  });

  it.each([
    ['TMPDIR', 'a-file'],
    ['NODE_COMPILE_CACHE', 'a-file/cache'],
  ])('starts and serves when %s names a place no directory can be made (%s)', async (variable, path) => {
    writeFileSync(join(dir, 'a-file'), '');
    const running = await startService(service, { ...env, [variable]: join(dir, path) });
    expect(await fetchMetricsText(running.ready.metricsPort as number)).toContain('process_resident_memory_bytes');
    expect(await running.stop('SIGTERM')).toBe(0);
  });
});
