import { type Book, BookCategory } from '@bookstore/contracts';
import type { Browser, BrowserContext } from 'playwright-core';
import { FAKE_BOOKS, type FakeRecommendations, startFakeRecommendations } from '../support/fake-recommendations';
import { buildTestApp, type TestApp } from '../support/test-app';
import { launchChromium, watchProblems } from './browser';

/** Three more mysteries, so a reader who viewed the first three still has some to be offered. */
const MORE_MYSTERIES: Book[] = [
  {
    id: 110,
    title: 'The Hound of the Baskervilles',
    author: 'Arthur Conan Doyle',
    category: BookCategory.BOOK_CATEGORY_MYSTERY,
  },
  { id: 111, title: 'The Woman in White', author: 'Wilkie Collins', category: BookCategory.BOOK_CATEGORY_MYSTERY },
  { id: 112, title: 'The Secret Adversary', author: 'Agatha Christie', category: BookCategory.BOOK_CATEGORY_MYSTERY },
];

describe('a reader’s homepage in Chromium after viewing book pages', () => {
  let recommendations: FakeRecommendations;
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    recommendations = await startFakeRecommendations({ books: [...FAKE_BOOKS, ...MORE_MYSTERIES] });
    t = await buildTestApp({ address: recommendations.address });
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await t?.close();
    await recommendations?.stop();
  });

  /** A reader of their own: a browser context keeps the uid cookie the first page sets. */
  async function reader() {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    const problems = await watchProblems(page);
    return { page, problems };
  }

  async function view(page: Awaited<ReturnType<typeof reader>>['page'], ids: number[]) {
    for (const id of ids) {
      const response = await page.goto(`${base}/books/${id}`);
      expect(response?.status()).toBe(200);
    }
  }

  it('shows "Because you viewed «title»" once three mystery book pages were viewed', async () => {
    // Two other readers: each viewed one of the mysteries with another one.
    const other = await reader();
    await view(other.page, [101, 110]);
    const third = await reader();
    await view(third.page, [102, 111]);

    const { page, problems } = await reader();
    await page.goto(`${base}/`);
    expect(await page.locator('main h2').count()).toBe(0);
    // Through the catalog, as a person would get there, then two more.
    await page.goto(`${base}/books`);
    await page.getByRole('link', { name: 'The Moonstone' }).click();
    await page.waitForURL('**/books/101');
    expect(await page.locator('h1').textContent()).toBe('The Moonstone');
    expect(await page.locator('.also-viewed li').allTextContents()).toEqual(['The Hound of the Baskervilles']);
    await view(page, [102, 103]);
    await recommendations.events.waitForStored(7);

    await page.goto(`${base}/?category=mystery`);
    expect(await page.locator('main h2').allTextContents()).toEqual([
      'Because you viewed «The Mysterious Affair at Styles»',
      'Because you viewed «The Moonstone»',
      'More books you may like',
    ]);
    const titles = (await page.locator('li.book').allTextContents()).map((title) => title.trim());
    expect(titles).toEqual(['The Woman in White', 'The Hound of the Baskervilles', 'The Secret Adversary']);
    await page.getByRole('link', { name: 'The Woman in White' }).click();
    await page.waitForURL('**/books/111');
    expect(await page.locator('.book-author').textContent()).toBe('by Wilkie Collins');
    expect(problems).toEqual({ consoleErrors: [], cspViolations: [] });

    // Another reader's homepage is their own: picked for what they viewed, from what this one did.
    await other.page.goto(`${base}/`);
    expect(await other.page.locator('main h2').first().textContent()).toBe('Because you viewed «The Moonstone»');
    expect((await other.page.locator('li.book').first().textContent())?.trim()).toBe('The Mysterious Affair at Styles');
  });
});
