import { BookCategory } from '@bookstore/contracts';

/** A category as the web side names it: a URL slug and a label for people. */
export interface CategoryInfo {
  readonly slug: string;
  readonly label: string;
  readonly value: BookCategory;
}

/** The categories in navigation order; the first is the homepage's default. */
export const CATEGORIES: readonly CategoryInfo[] = [
  { slug: 'mystery', label: 'Mystery', value: BookCategory.BOOK_CATEGORY_MYSTERY },
  { slug: 'science-fiction', label: 'Science fiction', value: BookCategory.BOOK_CATEGORY_SCIENCE_FICTION },
  { slug: 'self-help', label: 'Self help', value: BookCategory.BOOK_CATEGORY_SELF_HELP },
];

export const CATEGORY_SLUGS: readonly string[] = CATEGORIES.map((c) => c.slug);

export const DEFAULT_CATEGORY = CATEGORIES[0] as CategoryInfo;

export function categoryBySlug(slug: string | undefined): CategoryInfo | undefined {
  return slug === undefined ? DEFAULT_CATEGORY : CATEGORIES.find((c) => c.slug === slug);
}

export function categoryByValue(value: BookCategory): CategoryInfo | undefined {
  return CATEGORIES.find((c) => c.value === value);
}
