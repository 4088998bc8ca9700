import { BookCategory } from '@bookstore/contracts';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { FAKE_BOOKS, type FakeRecommendations, startFakeRecommendations } from '../support/fake-recommendations';
import { syntheticBooks } from '../support/large-catalog';
import { buildTestApp, type TestApp } from '../support/test-app';
import { launchChromium, watchProblems } from './browser';

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
/** `make screenshot` refreshes the README's picture; other runs write to a scratch folder. */
const SCREENSHOT = process.env.SCREENSHOT
  ? join(__dirname, '..', '..', '..', '..', 'docs', 'screenshots', 'homepage.png')
  : join(tmpdir(), 'bookstore-homepage.png');

/** What the fake recommends for a category: its first 3 books. */
const firstThree = (category: BookCategory) =>
  FAKE_BOOKS.filter((b) => b.category === category)
    .slice(0, 3)
    .map((b) => b.title);

type AxeViolation = { id: string; impact: string | null; help: string; nodes: { target: string[] }[] };

async function axeViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated by the browser's debugger, so the page's CSP (rightly) does not apply to axe itself.
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } }).axe;
    return (await axe.run()).violations;
  });
  return result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

describe('the storefront in Chromium', () => {
  let recommendations: FakeRecommendations;
  let t: TestApp;
  let browser: Browser;
  let base: string;
  beforeAll(async () => {
    recommendations = await startFakeRecommendations();
    t = await buildTestApp({ address: recommendations.address });
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
    await recommendations?.stop();
  });

  async function open(path: string) {
    const page = await browser.newPage({ viewport: { width: 1100, height: 720 } });
    const problems = await watchProblems(page);
    await page.goto(`${base}${path}`);
    return { page, problems };
  }

  it('shows 3 recommended mystery books on the homepage, styled, with no console errors or CSP violations', async () => {
    const { page, problems } = await open('/');
    expect(await page.title()).toBe('Online Books For You');
    expect(await page.locator('h1').textContent()).toBe('Mystery books you may like');
    const titles = (await page.locator('li.book').allTextContents()).map((t) => t.trim());
    expect(titles).toEqual(firstThree(BookCategory.BOOK_CATEGORY_MYSTERY));
    // The stylesheet applied: the current category is drawn as a filled pill.
    const current = page.locator('nav a[aria-current="page"]');
    expect(await current.evaluate((a) => getComputedStyle(a).color)).toBe('rgb(255, 255, 255)');
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(problems).toEqual({ consoleErrors: [], cspViolations: [] });
    await page.close();
  });

  it('switches category when a navigation link is clicked', async () => {
    const { page, problems } = await open('/');
    await page.getByRole('link', { name: 'Science fiction' }).click();
    await page.waitForURL('**/?category=science-fiction');
    expect(await page.locator('h1').textContent()).toBe('Science fiction books you may like');
    const titles = (await page.locator('li.book').allTextContents()).map((t) => t.trim());
    expect(titles).toEqual(firstThree(BookCategory.BOOK_CATEGORY_SCIENCE_FICTION));
    expect(await page.locator('nav a[aria-current="page"]').textContent()).toBe('Science fiction');
    expect(problems).toEqual({ consoleErrors: [], cspViolations: [] });
    await page.close();
  });

  it('lists every title on /books', async () => {
    const { page, problems } = await open('/books');
    const titles = (await page.locator('.book-title').allTextContents()).map((t) => t.trim());
    expect(titles).toEqual(FAKE_BOOKS.map((b) => b.title));
    expect(problems).toEqual({ consoleErrors: [], cspViolations: [] });
    await page.close();
  });

  it('pages through a catalog of many pages on /books with the next and previous links', async () => {
    const many = await startFakeRecommendations({ books: syntheticBooks(120) });
    const app = await buildTestApp({ address: many.address });
    const pagedBase = await app.app.listen({ host: '127.0.0.1', port: 0 });
    const page = await browser.newPage();
    const problems = await watchProblems(page);
    try {
      await page.goto(`${pagedBase}/books`);
      expect(await page.locator('.book-title').count()).toBe(50);
      expect(await page.locator('a[rel="prev"]').count()).toBe(0);
      await page.getByRole('link', { name: 'Next page →' }).click();
      await page.waitForURL('**/books?after=50');
      expect(await page.locator('.book-title', { hasText: /^Title 51$/ }).count()).toBe(1);
      await page.getByRole('link', { name: 'Next page →' }).click();
      await page.waitForURL('**/books?after=100');
      expect(await page.locator('.book-title').count()).toBe(20);
      expect(await page.locator('a[rel="next"]').count()).toBe(0);
      await page.getByRole('link', { name: '← Previous page' }).click();
      await page.waitForURL('**/books?before=101');
      expect(await page.locator('.book-title', { hasText: /^Title 100$/ }).count()).toBe(1);
      expect(await axeViolations(page)).toEqual([]);
      expect(problems).toEqual({ consoleErrors: [], cspViolations: [] });
    } finally {
      await page.close();
      await app.close();
      await many.stop();
    }
  });

  it('renders the API docs (Swagger UI) from local assets without CSP violations', async () => {
    const { page, problems } = await open('/docs/');
    await page.locator('.opblock-summary-path').first().waitFor({ timeout: 10_000 });
    const paths = await page.locator('.opblock-summary-path').allTextContents();
    expect(paths.map((p) => p.replace(/\u200b/g, '')).sort()).toEqual([
      '/api/v1/books',
      '/api/v1/books/{id}',
      '/api/v1/recommendations',
    ]);
    await page.screenshot({ path: join(tmpdir(), 'bookstore-docs.png') });
    expect(problems.cspViolations).toEqual([]);
    await page.close();
  });

  it.each(['/', '/books', '/books/101', '/books/abc', '/?category=poetry', '/no-such-page'])(
    'has no serious or critical axe violations on %s',
    async (path) => {
      const { page } = await open(path);
      expect(await axeViolations(page)).toEqual([]);
      await page.close();
    },
  );
});
