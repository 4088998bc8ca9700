import { status as Status } from '@grpc/grpc-js';
import { FAKE_BOOKS, startFakeRecommendations, statusError } from '../support/fake-recommendations';
import { buildTestApp, html, withBookstore } from '../support/test-app';

describe('GET /books/:id', () => {
  const t = withBookstore();
  // Each test starts with every earlier view stored, so what it sees is its own.
  beforeEach(async () => expect(await t.readerEvents.flush(10_000)).toBe(0));

  it('shows the title, author and category, and what readers of it also viewed, linking to their pages', async () => {
    // Reader 5 viewed The Moonstone with two other books; reader 6 with one of them.
    for (const [user, book] of [
      [5, 101],
      [5, 104],
      [5, 107],
      [6, 101],
      [6, 104],
    ] as const)
      t.readerEvents.viewed(user, book);
    await t.server.events.waitForStored(5);
    const response = await t.app.inject({ url: '/books/101', cookies: { uid: '99' } });
    expect(response.statusCode).toBe(200);
    const page = html(response.body);
    expect(page.querySelector('title')?.text).toBe('The Moonstone · Online Books For You');
    expect(page.querySelector('h1')?.text).toBe('The Moonstone');
    expect(page.querySelector('.book-author')?.text).toBe('by Wilkie Collins');
    expect(page.querySelector('.book-category a')?.getAttribute('href')).toBe('/?category=mystery');
    expect(page.querySelector('.also-viewed h2')?.text).toBe('Readers who viewed this also viewed');
    const links = page.querySelectorAll('.also-viewed li a').map((a) => [a.text, a.getAttribute('href')]);
    expect(links).toEqual([
      ['The Time Machine', '/books/104'],
      ['Meditations', '/books/107'],
    ]);
  });

  it('says so when no reader has viewed other books with it yet', async () => {
    const page = html((await t.app.inject({ url: '/books/109', cookies: { uid: '99' } })).body);
    expect(page.querySelector('.also-viewed')?.text).toContain('No other readers of this book have viewed others yet');
  });

  it('records a view for the reader of the uid cookie, without the page waiting for it', async () => {
    const before = t.server.events.stored.length;
    const response = await t.app.inject({ url: '/books/105', cookies: { uid: '4242' } });
    expect(response.statusCode).toBe(200);
    expect(response.cookies).toHaveLength(0);
    await t.server.events.waitForStored(before + 1);
    expect(t.server.events.stored.at(-1)).toMatchObject({ userId: 4242, bookId: 105, kind: 1 });
    expect(t.server.events.stored.at(-1)?.eventId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('gives a reader without a cookie a new one, and records the view for that reader', async () => {
    const before = t.server.events.stored.length;
    const response = await t.app.inject('/books/106');
    const uid = Number(response.cookies.find((c) => c.name === 'uid')?.value);
    expect(uid).toBeGreaterThanOrEqual(1);
    await t.server.events.waitForStored(before + 1);
    expect(t.server.events.stored.at(-1)).toMatchObject({ userId: uid, bookId: 106 });
  });

  it('records nothing for HEAD, a 404 or a 400', async () => {
    const before = t.server.events.batches.length;
    expect((await t.app.inject({ method: 'HEAD', url: '/books/101', cookies: { uid: '7' } })).statusCode).toBe(200);
    expect((await t.app.inject({ url: '/books/999', cookies: { uid: '7' } })).statusCode).toBe(404);
    expect((await t.app.inject({ url: '/books/abc', cookies: { uid: '7' } })).statusCode).toBe(400);
    // A view recorded now is stored after them: only it arrives.
    t.readerEvents.viewed(7, 102);
    await t.server.events.waitForStored(t.server.events.stored.length + 1);
    expect(
      t.server.events.batches
        .slice(before)
        .flat()
        .map((e) => e.bookId),
    ).toEqual([102]);
  });

  it('answers an unknown id with a 404 page', async () => {
    const response = await t.app.inject('/books/999');
    expect(response.statusCode).toBe(404);
    const page = html(response.body);
    expect(page.querySelector('h1')?.text).toBe('Page not found');
    expect(page.querySelector('main')?.text).toContain('There is no book with id 999.');
  });

  it.each([
    ['abc', 'id must be a whole number'],
    ['1.5', 'id must be a whole number'],
    ['0', 'id must be at least 1'],
    ['-3', 'id must be at least 1'],
    ['2147483648', 'id must be at most 2147483647'],
    ['99999999999999999999999', 'id must be at most 2147483647'],
  ])('answers /books/%s with a 400 page saying "%s"', async (id, message) => {
    const response = await t.app.inject(`/books/${id}`);
    expect(response.statusCode).toBe(400);
    expect(html(response.body).querySelector('main')?.text).toContain(message);
  });

  it('rejects query parameters', async () => {
    expect((await t.app.inject('/books/101?user=5')).statusCode).toBe(400);
  });

  it('is linked from the homepage cards and the catalog', async () => {
    const home = html((await t.app.inject('/')).body);
    expect(home.querySelectorAll('li.book a').map((a) => a.getAttribute('href'))).toEqual([
      '/books/101',
      '/books/102',
      '/books/103',
    ]);
    const catalog = html((await t.app.inject('/books')).body);
    expect(catalog.querySelectorAll('.book-title a').map((a) => a.getAttribute('href'))).toEqual(
      FAKE_BOOKS.map((b) => `/books/${b.id}`),
    );
  });
});

describe('GET /books/:id without Recommendations', () => {
  it.each([
    ['UNAVAILABLE', Status.UNAVAILABLE],
    ['DEADLINE_EXCEEDED', Status.DEADLINE_EXCEEDED],
  ])('answers %s with a 503 page in the layout, Retry-After, and records no view', async (_name, code) => {
    const server = await startFakeRecommendations({
      handlers: { getBook: (_call, callback) => callback(statusError(code)) },
    });
    const t = await buildTestApp({ address: server.address });
    try {
      const response = await t.app.inject({ url: '/books/101', cookies: { uid: '3' } });
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('5');
      const page = html(response.body);
      expect(page.querySelector('.notice')?.text).toContain('unavailable right now');
      expect(page.querySelectorAll('nav a')).toHaveLength(4);
      expect(response.body).not.toContain('from the fake');
      expect(t.logs.some((l) => l.msg.startsWith('Recommendations unavailable') && l.method === 'GetBook')).toBe(true);
      expect(server.events.batches).toEqual([]);
    } finally {
      await t.close();
      await server.stop();
    }
  });
});
