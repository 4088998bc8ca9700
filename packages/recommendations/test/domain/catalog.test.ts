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
      'id 1 is used more than once',
      'book 2 has unknown category 7',
      'book " " has id -4, not a positive int32',
      'book -4 needs a title and an author',
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
    expect(catalog.all().map((b) => b.id)).toEqual([8, 9, 10, 18, 19, 20]);
  });
});
