import { FAKE_BOOKS } from '../support/fake-recommendations';
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

  it('rejects query parameters it does not take', async () => {
    expect((await t.app.inject('/books?x=1')).statusCode).toBe(400);
  });
});
