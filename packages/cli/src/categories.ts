import { BOOK_CATEGORY_SLUGS, type BookCategory } from '@bookstore/contracts';

/** The names the CLI accepts and prints, as the Marketplace's `?category=` spells them. */
const NAMES: ReadonlyArray<readonly [string, BookCategory]> = BOOK_CATEGORY_SLUGS.map(({ slug, category }) => [
  slug,
  category,
]);

export const CATEGORY_NAMES = NAMES.map(([name]) => name);

/**
 * A category name (`science-fiction`), its proto name (`BOOK_CATEGORY_SCIENCE_FICTION`) or a
 * number, sent as is: the server decides what an unknown number means (NOT_FOUND, or
 * INVALID_ARGUMENT for 0), so the CLI can show every answer of the contract.
 */
export function parseCategory(value: string): BookCategory | undefined {
  const name = value
    .toLowerCase()
    .replace(/^book_category_/, '')
    .replaceAll('_', '-');
  const named = NAMES.find(([candidate]) => candidate === name);
  if (named !== undefined) return named[1];
  if (/^\d{1,10}$/.test(value) && Number(value) <= 2 ** 31 - 1) return Number(value);
  return undefined;
}

/** The CLI name of a category, or its number when the CLI does not know it. */
export function categoryName(category: BookCategory): string {
  return NAMES.find(([, value]) => value === category)?.[0] ?? String(category);
}
