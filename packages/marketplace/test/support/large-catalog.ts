import type { Book } from '@bookstore/contracts';

/** `count` synthetic books, ids 1…count, categories in turn (mystery, science fiction, self help). */
export function syntheticBooks(count: number): Book[] {
  return Array.from({ length: count }, (_, i) => ({
    id: i + 1,
    title: `Title ${i + 1}`,
    author: `Author ${i + 1}`,
    category: (i % 3) + 1,
  }));
}
