import { BOOK_CATEGORY_SLUGS, type BookCategory } from '@bookstore/contracts';

/** A category as the web side names it: a URL slug and a label for people. */
export interface CategoryInfo {
  readonly slug: string;
  readonly label: string;
  readonly value: BookCategory;
}

/** A slug as people read it: `science-fiction` is "Science fiction". */
function labelOf(slug: string): string {
  const words = slug.replaceAll('-', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The categories in navigation order (the contract's slugs); the first is the homepage's default. */
export const CATEGORIES: readonly CategoryInfo[] = BOOK_CATEGORY_SLUGS.map(({ slug, category }) => ({
  slug,
  label: labelOf(slug),
  value: category,
}));

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

/**
 * Where a book of a category this Marketplace does not know is shown: a newer Recommendations
 * may file books under a category added to the contract since this build. Such books are listed
 * under "Other" (the API's category `other`), never dropped: a page that hides them would be
 * short, or empty, while its `next` link still points on.
 */
export const OTHER_CATEGORY = { slug: 'other', label: 'Other' } as const;

/** The slug a book's category answers as in the API: its own, or `other` for one not known here. */
export function categorySlugOf(value: BookCategory): string {
  return categoryByValue(value)?.slug ?? OTHER_CATEGORY.slug;
}

export function categoryByValue(value: BookCategory): CategoryInfo | undefined {
  return CATEGORIES.find((c) => c.value === value);
}
