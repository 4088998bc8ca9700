import { BookCategory } from '@bookstore/contracts';
import { FAKE_BOOKS, startFakeRecommendations } from '../support/fake-recommendations';
import { buildTestApp, html } from '../support/test-app';

describe('the templates', () => {
  it('escapes every title: markup in the catalog renders as text', async () => {
    const evil = {
      id: 99,
      title: '<script>alert(1)</script>',
      author: '"><img src=x onerror=alert(2)>',
      category: BookCategory.BOOK_CATEGORY_MYSTERY,
    };
    // First in its category: the fake recommends it on every homepage of that category.
    const server = await startFakeRecommendations({ books: [evil, ...FAKE_BOOKS] });
    const t = await buildTestApp({ address: server.address });
    try {
      for (const url of ['/?category=mystery&user=1', '/books']) {
        const { body } = await t.app.inject(url);
        expect(body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
        expect(body).not.toContain('<script>');
        expect(body).not.toContain('<img');
        expect(html(body).querySelectorAll('script, img')).toHaveLength(0);
      }
    } finally {
      await t.close();
      await server.stop();
    }
  });
});
