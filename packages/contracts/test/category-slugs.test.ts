import { BOOK_CATEGORY_SLUGS, BookCategory } from '../src';

describe('the category slugs', () => {
  it('name every category of the contract but UNSPECIFIED, each once, in the contract order', () => {
    const categories = Object.values(BookCategory).filter(
      (value): value is BookCategory => typeof value === 'number' && value > BookCategory.BOOK_CATEGORY_UNSPECIFIED,
    );
    expect(BOOK_CATEGORY_SLUGS.map(({ category }) => category)).toEqual(categories);
    expect(new Set(BOOK_CATEGORY_SLUGS.map(({ slug }) => slug)).size).toBe(BOOK_CATEGORY_SLUGS.length);
  });

  it('are what a URL carries unescaped', () => {
    for (const { slug } of BOOK_CATEGORY_SLUGS) expect(slug).toMatch(/^[a-z]+(-[a-z]+)*$/);
  });
});
