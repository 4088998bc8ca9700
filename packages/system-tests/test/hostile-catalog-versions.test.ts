import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startMarketplace, stopAll } from './support/bookstore';
import { eventually } from './support/hostile';
import { startService, type ServiceProcess } from './support/processes';

jest.setTimeout(60_000);

const CATEGORIES = ['mystery', 'science-fiction', 'self-help'];
/** 120 books as a CATALOG_FILE; `changed` renames book 7 (a new edition of the catalog). */
function catalogFile(dir: string, name: string, changed = false): string {
  const lines = Array.from({ length: 120 }, (_, i) =>
    JSON.stringify({
      id: i + 1,
      title: changed && i + 1 === 7 ? 'Title 7, revised' : `Title ${i + 1}`,
      author: `Author ${i + 1}`,
      category: CATEGORIES[i % 3],
    }),
  );
  const path = join(dir, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

type ApiPage = { books: { id: number }[]; next: string | null };

/**
 * Replicas started with different CATALOG_FILEs (a rollout of a new catalog, or a mistake): each
 * answer names the catalog version it came from, and a next link made under one version is
 * answered 409 by a Marketplace whose Recommendations serves another (issue #25).
 */
describe('pages of different catalogs, across real processes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'catalogs-'));
  let processes: ServiceProcess[] = [];
  afterAll(async () => {
    await stopAll(processes);
    rmSync(dir, { recursive: true, force: true });
  });

  it('names the version in the start log and on every page; a link of another version is a 409', async () => {
    const [old, renewed] = await Promise.all([
      startService('recommendations', { CATALOG_FILE: catalogFile(dir, 'old.jsonl') }),
      startService('recommendations', { CATALOG_FILE: catalogFile(dir, 'new.jsonl', true) }),
    ]);
    processes.push(old, renewed);
    const [marketOld, marketNew] = await Promise.all([
      startMarketplace(`127.0.0.1:${old.port}`),
      startMarketplace(`127.0.0.1:${renewed.port}`),
    ]);
    processes = [...processes, marketOld, marketNew];
    const versions = { old: String(old.ready.catalogVersion), renewed: String(renewed.ready.catalogVersion) };
    expect(versions.old).toMatch(/^[0-9a-f]{16}$/);
    expect(versions.renewed).toMatch(/^[0-9a-f]{16}$/);
    expect(versions.renewed).not.toBe(versions.old);

    const get = (market: ServiceProcess, path: string) => fetch(`http://127.0.0.1:${market.port}${path}`);
    // The first call may meet a channel still connecting (503): wait until a page is served.
    expect(await eventually(async () => (await get(marketOld, '/api/v1/books')).status === 200, 15_000)).toBe(true);
    const first = await get(marketOld, '/api/v1/books');
    expect(first.headers.get('catalog-version')).toBe(versions.old);
    // The API's links stay as v1 wrote them; a client opts in to the check with the header's version.
    expect(((await first.json()) as ApiPage).next).toBe('/api/v1/books?after=50');
    const next = `/api/v1/books?after=50&catalogVersion=${String(first.headers.get('catalog-version'))}`;

    const sameCatalog = await get(marketOld, next);
    expect(sameCatalog.status).toBe(200);
    expect(((await sameCatalog.json()) as ApiPage).books[0]?.id).toBe(51);

    expect(await eventually(async () => (await get(marketNew, '/books')).status === 200, 15_000)).toBe(true);
    const otherCatalog = await get(marketNew, next);
    expect(otherCatalog.status).toBe(409);
    expect(otherCatalog.headers.get('catalog-version')).toBe(versions.renewed);
    expect(((await otherCatalog.json()) as { message: string }).message).toContain(
      `version ${versions.old}, now ${versions.renewed}`,
    );
    const page = await get(marketNew, `/books?after=50&catalogVersion=${versions.old}`);
    expect(page.status).toBe(409);

    // Each Marketplace logs the version it served from when it first sees it.
    await marketOld.waitForLog((line) => line.msg === 'catalog version seen' && line.catalogVersion === versions.old);
    await marketNew.waitForLog(
      (line) => line.msg === 'catalog version seen' && line.catalogVersion === versions.renewed,
    );
  });
});
