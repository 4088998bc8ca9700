import type { Book, BookRecommendation } from '@bookstore/contracts';
import type { CatalogBook } from '../domain/books';
import type { RecommendedBook } from '../domain/recommender';

export function toWireBook(book: CatalogBook): Book {
  return { id: book.id, title: book.title, author: book.author, category: book.category };
}

/** A random pick has no reason: 0 and '' (the proto's "unset"). */
export function toWireRecommendation(book: RecommendedBook): BookRecommendation {
  return {
    id: book.id,
    title: book.title,
    becauseOfBookId: book.becauseOf?.id ?? 0,
    becauseOfTitle: book.becauseOf?.title ?? '',
  };
}
