import { type BookCategory, RecommendationServiceClient, type RecommendResponse } from '@bookstore/contracts';
import { Metadata } from '@grpc/grpc-js';
import { type Connection, deadlineOf } from '../connection';
import { EXIT_CODES } from '../exit-codes';
import { formatTable, type Output } from '../output';

export const DEFAULT_DEADLINE_MS = 5000;

/** `bookstore recommend`: one Recommend call; the books as a table, or `{ "recommendations": [...] }`. */
export async function recommendCommand(
  connection: Connection,
  output: Output,
  query: { category: BookCategory; max: number; user: number },
): Promise<number> {
  const client = new RecommendationServiceClient(connection.target, connection.credentials, connection.channelOptions);
  try {
    const response = await new Promise<RecommendResponse>((resolve, reject) =>
      client.recommend(
        { userId: query.user, category: query.category, maxResults: query.max },
        new Metadata(),
        { deadline: deadlineOf(connection, DEFAULT_DEADLINE_MS) },
        (error, answer) => (error ? reject(error) : resolve(answer)),
      ),
    );
    const books = response.recommendations.map(({ id, title }) => ({ id, title }));
    output.out(
      output.json
        ? JSON.stringify({ recommendations: books })
        : formatTable(
            ['ID', 'TITLE'],
            books.map((book) => [book.id, book.title]),
          ),
    );
    return EXIT_CODES.ok;
  } finally {
    client.close();
  }
}
