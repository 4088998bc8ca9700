import { BookCategory } from '@bookstore/contracts';
import { BOOKS } from '@bookstore/recommendations';
import { startRecommendations } from '../support/servers';
import { html, withBookstore } from '../support/test-app';

describe('GET /', () => {
  const t = withBookstore(() => startRecommendations());

  it('shows 3 mystery books under the tutorial title by default', async () => {
    const response = await t.app.inject('/');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    const page = html(response.body);
    expect(page.querySelector('title')?.text).toBe('Online Books For You');
    expect(page.querySelector('h1')?.text).toBe('Mystery books you may like');
    const items = page.querySelectorAll('main li').map((li) => li.text.trim());
    expect(items).toHaveLength(3);
    const mysteryTitles = BOOKS.filter((b) => b.category === BookCategory.BOOK_CATEGORY_MYSTERY).map((b) => b.title);
    for (const title of items) expect(mysteryTitles).toContain(title);
  });

  it.each([
    ['science-fiction', 'Science fiction books you may like', BookCategory.BOOK_CATEGORY_SCIENCE_FICTION],
    ['self-help', 'Self help books you may like', BookCategory.BOOK_CATEGORY_SELF_HELP],
    ['mystery', 'Mystery books you may like', BookCategory.BOOK_CATEGORY_MYSTERY],
  ])('switches to %s', async (slug, heading, category) => {
    const page = html((await t.app.inject(`/?category=${slug}`)).body);
    expect(page.querySelector('h1')?.text).toBe(heading);
    const titles = BOOKS.filter((b) => b.category === category).map((b) => b.title);
    const items = page.querySelectorAll('main li').map((li) => li.text.trim());
    expect(items).toHaveLength(3);
    for (const title of items) expect(titles).toContain(title);
    expect(page.querySelector('nav a[aria-current="page"]')?.getAttribute('href')).toBe(`/?category=${slug}`);
  });

  it('links to the other categories and the catalog', async () => {
    const page = html((await t.app.inject('/')).body);
    const links = page.querySelectorAll('nav a').map((a) => a.getAttribute('href'));
    expect(links).toEqual(['/?category=mystery', '/?category=science-fiction', '/?category=self-help', '/books']);
  });

  it('answers an unknown category with a 400 page naming the allowed ones', async () => {
    const response = await t.app.inject('/?category=poetry');
    expect(response.statusCode).toBe(400);
    const page = html(response.body);
    expect(page.querySelector('title')?.text).toContain('Online Books For You');
    expect(page.querySelector('main')?.text).toContain('category must be one of: mystery, science-fiction, self-help');
  });

  it.each([
    ['/?user=-1', 'user must be at least 0'],
    ['/?user=abc', 'user must be a whole number'],
    ['/?user=2147483648', 'user must be at most 2147483647'],
    ['/?colour=red', 'unknown parameter "colour"'],
  ])('answers %s with a 400 page saying "%s"', async (url, message) => {
    const response = await t.app.inject(url);
    expect(response.statusCode).toBe(400);
    expect(html(response.body).querySelector('main')?.text).toContain(message);
  });

  it('echoes x-request-id, or makes one', async () => {
    const given = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': 'abc-123' } });
    expect(given.headers['x-request-id']).toBe('abc-123');
    const made = await t.app.inject({ url: '/healthz', headers: { 'x-request-id': '<script>' } });
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves a 404 page in the same layout', async () => {
    const response = await t.app.inject('/nope');
    expect(response.statusCode).toBe(404);
    const page = html(response.body);
    expect(page.querySelector('h1')?.text).toBe('Page not found');
    expect(page.querySelectorAll('nav a')).toHaveLength(4);
  });

  it('answers /healthz and /readyz', async () => {
    expect((await t.app.inject('/healthz')).json()).toEqual({ status: 'ok' });
    expect((await t.app.inject('/readyz')).json()).toEqual({ status: 'ready' });
  });
});
