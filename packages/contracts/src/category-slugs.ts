import { BookCategory } from './gen/bookstore/recommendations/v1/recommendations';

/**
 * Each category's name as people type and read it, in the contract's order: the Marketplace's
 * `?category=` and JSON API, the CLI's `--category`, catalog files. Hand-written (the proto names
 * no slugs) and defined here once, so the three cannot drift apart; a category added to the proto
 * gets its slug here.
 */
export const BOOK_CATEGORY_SLUGS: ReadonlyArray<{ readonly slug: string; readonly category: BookCategory }> = [
  { slug: 'mystery', category: BookCategory.BOOK_CATEGORY_MYSTERY },
  { slug: 'science-fiction', category: BookCategory.BOOK_CATEGORY_SCIENCE_FICTION },
  { slug: 'self-help', category: BookCategory.BOOK_CATEGORY_SELF_HELP },
];
