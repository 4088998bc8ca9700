import {
  BOOKS,
  createCatalog,
  createEventStore,
  createLogger,
  createRecommendationServer,
  createRecommender,
  loadConfig,
  type EventStore,
  type RecommendationServer,
} from '@bookstore/recommendations';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../support/test-app';
import { launchChromium, watchProblems } from './browser';

/**
 * The same journey as personal-homepage.test.ts, against the real Recommendations with the
 * embedded store `make run` uses: views go through the outbox and RecordEvents into the log, the
 * consumer applies them, and the personalised Recommend reads them back.
 */
describe('a reader’s homepage in Chromium, with the real Recommendations and its embedded store', () => {
  let store: EventStore;
  let server: RecommendationServer;
  let t: TestApp;
  let browser: Browser;
  let base: string;
  const contexts: BrowserContext[] = [];
  beforeAll(async () => {
    const config = loadConfig({
      HOST: '127.0.0.1',
      PORT: '0',
      METRICS_PORT: '0',
      HEALTH_PORT: '0',
      LOG_LEVEL: 'silent',
    });
    const logger = createLogger({ level: 'silent' });
    const catalog = createCatalog(BOOKS, { minPerCategory: 6 });
    store = createEventStore({ url: undefined, logger });
    server = createRecommendationServer({
      config,
      logger,
      recommender: createRecommender({ catalog }),
      readerEvents: { catalog, store },
    });
    const { port } = await server.start();
    t = await buildTestApp({ address: `127.0.0.1:${port}` });
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchChromium();
  });
  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await t?.close();
    await server?.stop();
    await store?.close();
  });

  async function reader() {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await context.newPage();
    return { page, problems: await watchProblems(page) };
  }
  async function view(page: Page, ids: number[]) {
    for (const id of ids) expect((await page.goto(`${base}/books/${id}`))?.status()).toBe(200);
  }

  it('shows "Because you viewed «title»" once three mystery book pages were viewed', async () => {
    // Another reader viewed The Maltese Falcon (1) with The Big Sleep (10) and Gone Girl (12).
    const other = await reader();
    await view(other.page, [1, 10, 12]);
    const { page, problems } = await reader();
    await page.goto(`${base}/?category=mystery`);
    expect(await page.locator('main h2').allTextContents()).not.toContain('Because you viewed «The Maltese Falcon»');
    await view(page, [1, 2, 3]);
    // The views travel through the outbox and the log: the page changes once they are applied.
    let headings: string[] = [];
    for (let attempt = 0; attempt < 50 && !headings.includes('Because you viewed «The Maltese Falcon»'); attempt += 1) {
      await page.goto(`${base}/?category=mystery`);
      headings = await page.locator('main h2').allTextContents();
      if (!headings.includes('Because you viewed «The Maltese Falcon»')) await page.waitForTimeout(100);
    }
    expect(headings[0]).toBe('Because you viewed «The Maltese Falcon»');
    const titles = (await page.locator('li.book').allTextContents()).map((title) => title.trim());
    expect(titles).toHaveLength(3);
    // Co-viewed with what this reader viewed, never a book they viewed.
    expect(titles.slice(0, 2).sort()).toEqual(['Gone Girl', 'The Big Sleep']);
    for (const viewed of ['The Maltese Falcon', 'Murder on the Orient Express', 'The Hound of the Baskervilles']) {
      expect(titles).not.toContain(viewed);
    }
    expect(problems).toEqual({ consoleErrors: [], cspViolations: [] });
  });
});
