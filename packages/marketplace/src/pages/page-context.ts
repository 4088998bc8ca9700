import { CATEGORIES, type CategoryInfo } from '../catalog/categories';

export const SITE_TITLE = 'Online Books For You';

/** What the layout needs on every page: the title and the navigation with the current entry marked. */
export function pageContext(options: { title?: string; current?: CategoryInfo | 'books' }) {
  return {
    title: options.title ? `${options.title} · ${SITE_TITLE}` : SITE_TITLE,
    nav: [
      ...CATEGORIES.map((c) => ({ href: `/?category=${c.slug}`, label: c.label, current: options.current === c })),
      { href: '/books', label: 'All books', current: options.current === 'books' },
    ],
  };
}
