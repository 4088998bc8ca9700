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

/**
 * The `category` query parameter of whatever recommends (the homepage, the API): a slug, and the
 * default category when absent. The default is applied here, by the schema, and nowhere else.
 */
export const CATEGORY_PARAMETER = { type: 'string', enum: CATEGORY_SLUGS, default: DEFAULT_CATEGORY.slug } as const;

/** The category of a slug that the query schema has already checked. */
export function categoryBySlug(slug: string): CategoryInfo {
  const category = CATEGORIES.find((c) => c.slug === slug);
  if (category === undefined) throw new Error(`unknown category slug "${slug}" passed the query schema`);
  return category;
}

export function categoryByValue(value: BookCategory): CategoryInfo | undefined {
  return CATEGORIES.find((c) => c.value === value);
}
