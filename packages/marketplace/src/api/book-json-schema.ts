import { CATEGORY_SLUGS, OTHER_CATEGORY } from '../catalog/categories';

/** A book as the JSON API answers it, in every response that holds one (the OpenAPI doc's Book). */
export const BOOK_JSON_SCHEMA = {
  type: 'object',
  required: ['id', 'title', 'author', 'category'],
  properties: {
    id: { type: 'integer' },
    title: { type: 'string' },
    author: { type: 'string' },
    category: {
      type: 'string',
      enum: [...CATEGORY_SLUGS, OTHER_CATEGORY.slug],
      description: `\`${OTHER_CATEGORY.slug}\`: a category added to the catalog since this API was built`,
    },
  },
} as const;
