import { ALSO_VIEWED_MAX, bookIdParams } from '../catalog/book-details';
import { MAX_API_PAGE_SIZE, PAGE_SIZE, pagingQuery } from '../catalog/book-pages';
import { CATEGORY_PARAMETER, CATEGORY_SLUGS } from '../catalog/categories';
import { USER_PARAMETER } from '../http/user-identity';
import { BOOK_JSON_SCHEMA } from './book-json-schema';

// The JSON API's request and response schemas (routes/api.ts, routes/book-api.ts): fastify
// validates and serialises with them, and api/docs.ts publishes them as the OpenAPI document.

/** The JSON body of every 4xx/5xx under `/api/` (http/error-handling.ts writes it). */
export const errorBody = {
  type: 'object',
  required: ['statusCode', 'error', 'message'],
  properties: { statusCode: { type: 'integer' }, error: { type: 'string' }, message: { type: 'string' } },
} as const;

export const recommendationsSchema = {
  tags: ['books'],
  summary: 'Books of one category you may like',
  description:
    'Random picks; for the reader of the `uid` cookie (the pages set it), personal picks, each with ' +
    'the book it is `becauseOf`, once they have viewed books. `user` is accepted for compatibility ' +
    'but never personalises: anyone can type any id, and personal picks show what a reader viewed.',
  querystring: {
    type: 'object',
    properties: {
      category: CATEGORY_PARAMETER,
      max: { type: 'integer', minimum: 1, maximum: 50, default: 3 },
      // Accepted as before; the call is for a user not seen before whatever it says (see above).
      user: USER_PARAMETER,
    },
    additionalProperties: false,
  },
  response: {
    200: {
      type: 'object',
      required: ['recommendations'],
      properties: {
        recommendations: {
          type: 'array',
          items: {
            type: 'object',
            required: ['id', 'title'],
            properties: {
              id: { type: 'integer' },
              title: { type: 'string' },
              becauseOf: {
                type: 'object',
                description: 'Only on a personal pick: the book the reader viewed that it was picked for',
                required: ['id', 'title'],
                properties: { id: { type: 'integer' }, title: { type: 'string' } },
              },
            },
          },
        },
      },
    },
    400: errorBody,
    503: errorBody,
  },
} as const;

const pageLink = {
  type: ['string', 'null'],
  description: 'Path and query of the adjacent page; null when there is none',
} as const;

export const booksSchema = {
  tags: ['books'],
  summary: 'A page of the catalog, or of one category, in id order',
  description:
    `At most \`limit\` books (default ${PAGE_SIZE}). Follow \`next\` and \`previous\` to page; ` +
    '`after` and `before` cannot be combined. Each answer names its catalog in the `Catalog-Version` ' +
    'header; send it back as `catalogVersion` with `after` or `before` to be answered 409 when the ' +
    'catalog changed between pages.',
  querystring: {
    type: 'object',
    properties: {
      category: { type: 'string', enum: CATEGORY_SLUGS },
      limit: { type: 'integer', minimum: 1, maximum: MAX_API_PAGE_SIZE, default: PAGE_SIZE },
      ...pagingQuery,
    },
    additionalProperties: false,
  },
  response: {
    200: {
      type: 'object',
      required: ['books', 'next', 'previous'],
      properties: {
        next: pageLink,
        previous: pageLink,
        books: {
          type: 'array',
          items: BOOK_JSON_SCHEMA,
        },
      },
    },
    400: errorBody,
    409: errorBody,
    503: errorBody,
  },
} as const;

export const bookSchema = {
  tags: ['books'],
  summary: 'One book, and what the readers who viewed it also viewed',
  description:
    `\`alsoViewed\`: up to ${ALSO_VIEWED_MAX} books, most often viewed by the readers of this one first; ` +
    'empty until readers have viewed it beside others. 404 for an id no book has.',
  params: bookIdParams,
  response: {
    200: {
      type: 'object',
      required: ['book', 'alsoViewed'],
      properties: {
        book: BOOK_JSON_SCHEMA,
        alsoViewed: {
          type: 'array',
          maxItems: ALSO_VIEWED_MAX,
          items: {
            type: 'object',
            required: ['id', 'title'],
            properties: { id: { type: 'integer' }, title: { type: 'string' } },
          },
        },
      },
    },
    400: errorBody,
    404: errorBody,
    503: errorBody,
  },
} as const;
