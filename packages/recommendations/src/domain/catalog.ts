import { BookCategory } from '@bookstore/contracts';
import type { CatalogBook } from './books';
import { type BookList, createBookColumns } from './book-columns';

export type { BookList } from './book-columns';

/** Every category a book may be filed under (UNSPECIFIED is not one). */
export const KNOWN_CATEGORIES: readonly BookCategory[] = [
  BookCategory.BOOK_CATEGORY_MYSTERY,
  BookCategory.BOOK_CATEGORY_SCIENCE_FICTION,
  BookCategory.BOOK_CATEGORY_SELF_HELP,
];

/** Read-only, validated view of the books, indexed once at start. */
export interface Catalog {
  /** Every book, ascending by id. */
  all(): BookList;
  /** The books of one category, ascending by id; empty for a category with no books. */
  inCategory(category: BookCategory): BookList;
}

/** Thrown at start-up when the catalog is inconsistent: the process must not serve it. */
export class CatalogValidationError extends Error {
  /**
   * @param problems the first problems found, each saying where (a book or a line) and what is wrong
   * @param total how many problems there were in all (more than `problems.length` when capped)
   */
  constructor(
    readonly problems: readonly string[],
    readonly total = problems.length,
  ) {
    const more = total > problems.length ? `; and ${total - problems.length} more` : '';
    super(`invalid catalog: ${problems.join('; ')}${more}`);
    this.name = 'CatalogValidationError';
  }
}

/** Problems past this many are counted, not listed: one bad generator must not print a million lines. */
export const MAX_LISTED_PROBLEMS = 20;

/** Collects problems, keeping the first MAX_LISTED_PROBLEMS and counting the rest. */
export function createProblemList() {
  const listed: string[] = [];
  let total = 0;
  return {
    add(problem: string) {
      total += 1;
      if (listed.length < MAX_LISTED_PROBLEMS) listed.push(problem);
    },
    get total() {
      return total;
    },
    throwIfAny() {
      if (total > 0) throw new CatalogValidationError(listed, total);
    },
  };
}

export type ProblemList = ReturnType<typeof createProblemList>;

/** The longest title or author a catalog may hold, in UTF-16 code units: a bound on every message. */
export const MAX_TEXT_LENGTH = 1000;

/** What is wrong with one book on its own (not against the others), or an empty list. */
export function bookProblems(book: CatalogBook): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(book.id) || book.id <= 0 || book.id > 2 ** 31 - 1) {
    problems.push(`id ${book.id} is not a positive int32`);
  }
  if (!KNOWN_CATEGORIES.includes(book.category)) problems.push(`unknown category ${book.category}`);
  if (book.title.trim() === '' || book.author.trim() === '') problems.push('needs a title and an author');
  if (book.title.length > MAX_TEXT_LENGTH || book.author.length > MAX_TEXT_LENGTH) {
    problems.push(`title and author may have at most ${MAX_TEXT_LENGTH} characters each`);
  }
  return problems;
}

/**
 * Validates the books (unique positive ids, known categories, enough books per category) and
 * indexes them in one 16-byte record a book plus the text: a million books take ~60 MB, not the
 * ~130 MB of heap of one object each (docs/benchmarks.md). Throws one CatalogValidationError listing the problems (at most
 * MAX_LISTED_PROBLEMS, counting the rest). `where(index)` names the index-th book in problems:
 * by default `book #n` (1-based), for a catalog file its line.
 */
export function createCatalog(
  books: Iterable<CatalogBook>,
  options: {
    minPerCategory?: number;
    where?: (index: number) => string;
    /** Problems found before (a catalog file's unreadable lines), reported in the same error. */
    problems?: ProblemList;
    /** How many books to expect (a file's line count), so the columns are sized once. */
    capacity?: number;
  } = {},
): Catalog {
  const problems = options.problems ?? createProblemList();
  const where = options.where ?? ((index) => `book #${index + 1}`);
  const columns = createBookColumns(options.capacity);
  let index = 0;
  for (const book of books) {
    const wrong = bookProblems(book);
    for (const problem of wrong) problems.add(`${where(index)}: ${problem}`);
    if (wrong.length === 0) columns.add(book, index);
    index += 1;
  }
  const built = columns.build((id, at) => problems.add(`${where(at)}: id ${id} is used more than once`));
  for (const category of KNOWN_CATEGORIES) {
    const count = built.inCategory(category).length;
    if (count < (options.minPerCategory ?? 1)) {
      problems.add(`category ${BookCategory[category]} has ${count} books, fewer than ${options.minPerCategory ?? 1}`);
    }
  }
  problems.throwIfAny();
  return built;
}

/** The book with this id, or undefined: a binary search, O(log n) whatever the catalog's size. */
export function findBook(catalog: Catalog, id: number): CatalogBook | undefined {
  const books = catalog.all();
  const at = books.indexAfter(id - 1);
  return at < books.length && books.idAt(at) === id ? books.at(at) : undefined;
}
