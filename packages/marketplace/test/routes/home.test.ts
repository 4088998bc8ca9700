import { BookCategory } from '@bookstore/contracts';
import { FAKE_BOOKS, recommendRequest } from '../support/fake-recommendations';
import { html, withBookstore } from '../support/test-app';

/** The titles Recommendations answered for a category: the fake gives the first 3 in id order. */
const firstThree = (category: BookCategory) =>
  FAKE_BOOKS.filter((b) => b.category === category)
    .slice(0, 3)
    .map((b) => b.title);

describe('GET /', () => {
  const t = withBookstore();

  it('shows 3 mystery books under the tutorial title by default', async () => {
    const response = await t.app.inject('/');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    const page = html(response.body);
    expect(page.querySelector('title')?.text).toBe('Online Books For You');
    expect(page.querySelector('h1')?.text).toBe('Mystery books you may like');
    const items = page.querySelectorAll('main li').map((li) => li.text.trim());
    expect(items).toEqual(firstThree(BookCategory.BOOK_CATEGORY_MYSTERY));
  });

  it.each([
    ['science-fiction', 'Science fiction books you may like', BookCategory.BOOK_CATEGORY_SCIENCE_FICTION],
    ['self-help', 'Self help books you may like', BookCategory.BOOK_CATEGORY_SELF_HELP],
    ['mystery', 'Mystery books you may like', BookCategory.BOOK_CATEGORY_MYSTERY],
  ])('switches to %s', async (slug, heading, category) => {
    const page = html((await t.app.inject(`/?category=${slug}`)).body);
    expect(page.querySelector('h1')?.text).toBe(heading);
    const items = page.querySelectorAll('main li').map((li) => li.text.trim());
    expect(items).toEqual(firstThree(category));
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
    ['/?user=0', 'user must be at least 1'],
    ['/?user=-1', 'user must be at least 1'],
    ['/?user=abc', 'user must be a whole number'],
    ['/?user=2147483648', 'user must be at most 2147483647'],
    ['/?colour=red', 'unknown parameter "colour"'],
  ])('answers %s with a 400 page saying "%s"', async (url, message) => {
    const response = await t.app.inject(url);
    expect(response.statusCode).toBe(400);
    expect(html(response.body).querySelector('main')?.text).toContain(message);
  });

  it('asks Recommendations for 3 books of the category for the uid cookie, with the request id', async () => {
    t.server.calls.length = 0;
    await t.app.inject({ url: '/?category=self-help', cookies: { uid: '42' }, headers: { 'x-request-id': 'home-1' } });
    expect(t.server.calls.map((c) => [c.method, recommendRequest(c), c.requestId])).toEqual([
      ['Recommend', { userId: 42, category: BookCategory.BOOK_CATEGORY_SELF_HELP, maxResults: 3 }, 'home-1'],
    ]);
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
