import {
  type Book,
  type BookCategory,
  type ListBooksResponse,
  ListBooksRequest,
  RecommendationServiceClient,
} from '@bookstore/contracts';
import { categoryName } from '../categories';
import { type Connection, deadlineOf } from '../connection';
import { EXIT_CODES } from '../exit-codes';
import { formatTable, type Output } from '../output';
import { DEFAULT_DEADLINE_MS } from './recommend';

/** `bookstore books`: reads the whole ListBooks stream, then prints a table or `{ "books": [...] }`. */
export async function booksCommand(
  connection: Connection,
  output: Output,
  query: { category: BookCategory },
): Promise<number> {
  const client = new RecommendationServiceClient(connection.target, connection.credentials, connection.channelOptions);
  try {
    const books: Book[] = [];
    const stream = client.listBooks(ListBooksRequest.create({ category: query.category }), {
      deadline: deadlineOf(connection, DEFAULT_DEADLINE_MS),
    });
    for await (const message of stream) {
      const { book } = message as ListBooksResponse;
      if (book !== undefined) books.push(book);
    }
    const rows = books.map((book) => ({ ...book, category: categoryName(book.category) }));
    output.out(
      output.json
        ? JSON.stringify({ books: rows })
        : formatTable(
            ['ID', 'TITLE', 'AUTHOR', 'CATEGORY'],
            rows.map((book) => [book.id, book.title, book.author, book.category]),
          ),
    );
    return EXIT_CODES.ok;
  } finally {
    client.close();
  }
}
