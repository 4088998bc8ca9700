import { BookCategory } from '@bookstore/contracts';
import type { CatalogBook } from './books';

/** Every category a book may be filed under (UNSPECIFIED is not one). */
export const KNOWN_CATEGORIES: readonly BookCategory[] = [
  BookCategory.BOOK_CATEGORY_MYSTERY,
  BookCategory.BOOK_CATEGORY_SCIENCE_FICTION,
  BookCategory.BOOK_CATEGORY_SELF_HELP,
];

/** Read-only, validated view of the books, indexed once at start. */
export interface Catalog {
  /** Every book, ascending by id. */
  all(): readonly CatalogBook[];
  /** The books of one category, ascending by id; empty for a category with no books. */
  inCategory(category: BookCategory): readonly CatalogBook[];
}

/** Thrown at start-up when the embedded data is inconsistent: the process must not serve it. */
export class CatalogValidationError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid catalog: ${problems.join('; ')}`);
    this.name = 'CatalogValidationError';
  }
}

function validate(books: readonly CatalogBook[], minPerCategory: number): string[] {
  const problems: string[] = [];
  const seen = new Set<number>();
  for (const book of books) {
    if (!Number.isInteger(book.id) || book.id <= 0 || book.id > 2 ** 31 - 1) {
      problems.push(`book "${book.title}" has id ${book.id}, not a positive int32`);
    }
    if (seen.has(book.id)) problems.push(`id ${book.id} is used more than once`);
    seen.add(book.id);
    if (!KNOWN_CATEGORIES.includes(book.category)) {
      problems.push(`book ${book.id} has unknown category ${book.category}`);
    }
    if (book.title.trim() === '' || book.author.trim() === '') {
      problems.push(`book ${book.id} needs a title and an author`);
    }
  }
  for (const category of KNOWN_CATEGORIES) {
    const count = books.filter((b) => b.category === category).length;
    if (count < minPerCategory) {
      problems.push(`category ${BookCategory[category]} has ${count} books, fewer than ${minPerCategory}`);
    }
  }
  return problems;
}

/**
 * Validates the books (unique positive ids, known categories, enough books per category) and
 * indexes them. Throws one CatalogValidationError listing every problem.
 */
export function createCatalog(books: readonly CatalogBook[], options: { minPerCategory?: number } = {}): Catalog {
  const problems = validate(books, options.minPerCategory ?? 1);
  if (problems.length > 0) throw new CatalogValidationError(problems);

  const sorted = Object.freeze([...books].sort((a, b) => a.id - b.id));
  const byCategory = new Map<BookCategory, readonly CatalogBook[]>();
  for (const category of KNOWN_CATEGORIES) {
    byCategory.set(category, Object.freeze(sorted.filter((b) => b.category === category)));
  }
  return {
    all: () => sorted,
    inCategory: (category) => byCategory.get(category) ?? [],
  };
}
