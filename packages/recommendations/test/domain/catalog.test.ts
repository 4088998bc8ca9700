import { BookCategory } from '@bookstore/contracts';
import { BOOKS } from '../../src/domain/books';
import { CatalogValidationError, createCatalog, KNOWN_CATEGORIES } from '../../src/domain/catalog';

describe('the embedded catalog', () => {
  it('holds the tutorial nine titles as ids 1-9', () => {
    expect(BOOKS.filter((b) => b.id <= 9).map((b) => b.title)).toEqual([
      'The Maltese Falcon',
      'Murder on the Orient Express',
      'The Hound of the Baskervilles',
      "The Hitchhiker's Guide to the Galaxy",
      "Ender's Game",
      'The Dune Chronicles',
      'The 7 Habits of Highly Effective People',
      'How to Win Friends and Influence People',
      "Man's Search for Meaning",
    ]);
  });

  it('validates with at least 6 books per category', () => {
    const catalog = createCatalog(BOOKS, { minPerCategory: 6 });
    for (const category of KNOWN_CATEGORIES) expect(catalog.inCategory(category).length).toBeGreaterThanOrEqual(6);
  });
});

describe('createCatalog', () => {
  const book = { id: 1, title: 'A', author: 'B', category: BookCategory.BOOK_CATEGORY_MYSTERY };

  it('reports every problem in one error', () => {
    const books = [book, { ...book }, { ...book, id: 2, category: 7 as BookCategory }, { ...book, id: -4, title: ' ' }];
    let error: unknown;
    try {
      createCatalog(books, { minPerCategory: 1 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CatalogValidationError);
    expect((error as CatalogValidationError).problems).toEqual([
      'book #3: unknown category 7',
      'book #4: id -4 is not a positive int32',
      'book #4: needs a title and an author',
      'book #2: id 1 is used more than once',
      'category BOOK_CATEGORY_SCIENCE_FICTION has 0 books, fewer than 1',
      'category BOOK_CATEGORY_SELF_HELP has 0 books, fewer than 1',
    ]);
  });

  it('sorts by id regardless of input order', () => {
    const catalog = createCatalog(
      KNOWN_CATEGORIES.flatMap((category, i) => [
        { ...book, id: 10 - i, category },
        { ...book, id: 20 - i, category },
      ]),
    );
    const all = catalog.all();
    expect(Array.from({ length: all.length }, (_, i) => all.at(i).id)).toEqual([8, 9, 10, 18, 19, 20]);
    const mystery = catalog.inCategory(BookCategory.BOOK_CATEGORY_MYSTERY);
    expect([mystery.at(0), mystery.at(1)].map((b) => b.id)).toEqual([10, 20]);
  });

  it('keeps titles and authors intact, whatever their characters', () => {
    const books = KNOWN_CATEGORIES.map((category, i) => ({
      id: i + 1,
      title: ['Le Comte de Monte-Cristo', 'Войнá и мир', '三体 🚀'][i] as string,
      author: ['Alexandre Dumas', 'Лев Толстой', '刘慈欣'][i] as string,
      category,
    }));
    const all = createCatalog(books).all();
    expect(books.map((_, i) => all.at(i))).toEqual(books);
  });

  it('lists the first 20 problems and counts the rest', () => {
    const bad = Array.from({ length: 50 }, (_, i) => ({ ...book, id: -i - 1 }));
    let error: CatalogValidationError | undefined;
    try {
      createCatalog(bad);
    } catch (e) {
      error = e as CatalogValidationError;
    }
    expect(error?.problems).toHaveLength(20);
    expect(error?.total).toBe(53);
    expect(error?.message).toMatch(/; and 33 more$/);
  });
});
