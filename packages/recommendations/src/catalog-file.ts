import { BOOK_CATEGORY_SLUGS, type BookCategory } from '@bookstore/contracts';
import { closeSync, openSync, readSync } from 'node:fs';
import type { CatalogBook } from './domain/books';
import { type Catalog, createCatalog, createProblemList, type ProblemList } from './domain/catalog';

/** The category names a catalog file uses: the Marketplace's slugs. */
export const CATEGORY_NAMES: Readonly<Record<string, BookCategory>> = Object.fromEntries(
  BOOK_CATEGORY_SLUGS.map(({ slug, category }) => [slug, category]),
);

const FIELDS = ['id', 'title', 'author', 'category'];

/** One line's book, or what is wrong with it. Runs a million times at start: kept lean. */
function parseLine(text: string): CatalogBook | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `not JSON (${(error as Error).message})`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const record = value as Record<string, unknown>;
  const { id, title, author, category } = record;
  const name = typeof category === 'string' && Object.hasOwn(CATEGORY_NAMES, category) ? category : undefined;
  if (typeof id === 'number' && typeof title === 'string' && typeof author === 'string' && name !== undefined) {
    // Four own keys and these four are all there: no unknown field (cheaper than Object.keys).
    if (Object.keys(record).length === 4) return { id, title, author, category: CATEGORY_NAMES[name] as BookCategory };
  }
  const wrong: string[] = [];
  const extra = Object.keys(record).filter((key) => !FIELDS.includes(key));
  if (extra.length > 0) wrong.push(`unknown field ${extra.map((key) => `"${key}"`).join(', ')}`);
  if (typeof id !== 'number') wrong.push('id must be a number');
  if (typeof title !== 'string') wrong.push('title must be a string');
  if (typeof author !== 'string') wrong.push('author must be a string');
  if (name === undefined) {
    wrong.push(`category must be one of ${Object.keys(CATEGORY_NAMES).join(', ')} (got ${JSON.stringify(category)})`);
  }
  return wrong.join('; ');
}

/** The file's lines as byte ranges of a reused buffer, read 1 MiB at a time: never the whole file at once. */
function* linesOf(path: string): Generator<{ bytes: Buffer; start: number; end: number }> {
  const fd = openSync(path, 'r');
  try {
    let buffer = Buffer.allocUnsafe(1 << 20);
    let filled = 0;
    let atEnd = false;
    while (!atEnd || filled > 0) {
      if (!atEnd) {
        if (filled === buffer.length) buffer = Buffer.concat([buffer, Buffer.allocUnsafe(buffer.length)]); // a line over 1 MiB
        const read = readSync(fd, buffer, filled, buffer.length - filled, null);
        filled += read;
        atEnd = read === 0;
      }
      let start = 0;
      for (let end = buffer.indexOf(10, start); end !== -1 && end < filled; end = buffer.indexOf(10, start)) {
        yield { bytes: buffer, start, end };
        start = end + 1;
      }
      if (atEnd && start < filled) {
        yield { bytes: buffer, start, end: filled }; // the last line has no newline
        start = filled;
      }
      buffer.copy(buffer, 0, start, filled);
      filled -= start;
    }
  } finally {
    closeSync(fd);
  }
}

/** How many lines the file has: a first, cheap pass so the catalog's columns are sized once. */
function countLines(path: string): number {
  let count = 0;
  const lines = linesOf(path);
  while (!lines.next().done) count += 1;
  return count;
}

/**
 * The books of a JSON-lines file, one object a line (blank lines skipped), parsed one at a time
 * so a million books never exist as objects at once. Lines that cannot be read go to
 * `problems`; `lines` receives the line number of each book yielded, in order.
 */
function* booksOf(path: string, problems: ProblemList, lines: Int32Array): Generator<CatalogBook> {
  let line = 0;
  let books = 0;
  for (const { bytes, start, end } of linesOf(path)) {
    line += 1;
    if (end === start || (end === start + 1 && bytes[start] === 13)) continue; // "" or a CRLF's "\r"
    const book = parseLine(bytes.toString('utf8', start, end));
    if (typeof book === 'string') {
      problems.add(`line ${line}: ${book}`);
      continue;
    }
    lines[books] = line;
    books += 1;
    yield book;
  }
}

/**
 * Reads and validates a catalog file (CATALOG_FILE): JSON lines of `{ id, title, author, category }`.
 * Throws one CatalogValidationError naming the line and the fault of each bad line (the first
 * 20 listed, the rest counted), or an Error when the file cannot be read.
 */
export function loadCatalogFile(path: string, options: { minPerCategory?: number } = {}): Catalog {
  const problems = createProblemList();
  const capacity = countLines(path);
  // Line numbers of the books handed on, so the catalog's own checks (duplicate ids) name lines too.
  const lines = new Int32Array(capacity);
  return createCatalog(booksOf(path, problems, lines), {
    minPerCategory: options.minPerCategory,
    capacity,
    where: (index) => `line ${lines[index]}`,
    problems,
  });
}
