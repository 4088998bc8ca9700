import { FAKE_BOOKS, startFakeRecommendations } from '../support/fake-recommendations';
import { syntheticBooks } from '../support/large-catalog';
import { html, withBookstore } from '../support/test-app';

describe('GET /books', () => {
  const t = withBookstore();

  it('lists every catalog title with its author, grouped by category', async () => {
    const response = await t.app.inject('/books');
    expect(response.statusCode).toBe(200);
    const page = html(response.body);
    const sections = page.querySelectorAll('main section');
    expect(sections.map((s) => s.querySelector('h2')?.text)).toEqual(['Mystery', 'Science fiction', 'Self help']);
    const listed = sections.flatMap((s) =>
      s
        .querySelectorAll('li')
        .map((li) => [li.querySelector('.book-title')?.text, li.querySelector('.book-author')?.text]),
    );
    // Grouped in navigation order, each group in the stream's (id) order.
    expect(listed).toEqual(FAKE_BOOKS.map((book) => [book.title, `by ${book.author}`]));
  });

  it('rejects query parameters it does not take, and bad page cursors, saying why', async () => {
    expect((await t.app.inject('/books?x=1')).statusCode).toBe(400);
    for (const [query, problem] of [
      ['after=-1', 'after must be at least 0'],
      ['before=abc', 'before must be a whole number'],
      ['after=1&before=5', 'after and before cannot be combined'],
    ]) {
      const response = await t.app.inject(`/books?${query}`);
      expect(response.statusCode).toBe(400);
      expect(response.body).toContain(problem);
    }
  });

  it('needs no page links when the catalog fits one page', async () => {
    expect(html((await t.app.inject('/books')).body).querySelector('nav.pager')).toBeNull();
  });
});

describe('GET /books on a catalog of many pages', () => {
  const t = withBookstore(() => startFakeRecommendations({ books: syntheticBooks(120) }));
  const open = async (url: string) => {
    const response = await t.app.inject(url);
    expect(response.statusCode).toBe(200);
    const page = html(response.body);
    return {
      titles: page.querySelectorAll('.book-title').map((e) => e.text),
      next: page.querySelector('nav.pager a[rel="next"]')?.getAttribute('href'),
      previous: page.querySelector('nav.pager a[rel="prev"]')?.getAttribute('href'),
    };
  };

  it('shows 50 books a page, with next and previous links', async () => {
    const first = await open('/books');
    expect(first.titles).toHaveLength(50);
    expect(first).toMatchObject({ next: '/books?after=50', previous: undefined });
    const second = await open(first.next as string);
    expect(second.titles).toContain('Title 51');
    expect(second).toMatchObject({ next: '/books?after=100', previous: '/books?before=51' });
    const last = await open(second.next as string);
    expect(last.titles).toHaveLength(20);
    expect(last.next).toBeUndefined();
    expect((await open(last.previous as string)).titles).toContain('Title 100');
  });

  it('says so on an empty page, and links back to the first', async () => {
    const response = await t.app.inject('/books?after=5000');
    expect(html(response.body).querySelector('.empty-page a')?.getAttribute('href')).toBe('/books');
  });
});
