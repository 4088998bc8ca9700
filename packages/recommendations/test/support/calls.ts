import {
  ListBooksRequest,
  type ListBooksResponse,
  type RecommendationServiceClient,
  type RecommendRequest,
  type RecommendResponse,
} from '@bookstore/contracts';
import { Metadata, type ServiceError } from '@grpc/grpc-js';

/** Recommend as a promise; rejects with the ServiceError. */
export function recommend(
  client: RecommendationServiceClient,
  request: RecommendRequest,
  metadata = new Metadata(),
): Promise<RecommendResponse> {
  return new Promise((resolve, reject) => {
    client.recommend(request, metadata, { deadline: Date.now() + 5000 }, (error, response) =>
      error ? reject(error) : resolve(response),
    );
  });
}

/** Reads a whole ListBooks stream; rejects with the ServiceError. */
export async function listBooks(client: RecommendationServiceClient, request: Partial<ListBooksRequest>) {
  const received: ListBooksResponse[] = [];
  for await (const message of client.listBooks(ListBooksRequest.create(request), { deadline: Date.now() + 5000 })) {
    received.push(message as ListBooksResponse);
  }
  return received;
}

/** The error a promise rejected with, or a failure when it resolved. */
export async function rejectionOf(promise: Promise<unknown>): Promise<ServiceError> {
  try {
    await promise;
  } catch (error) {
    return error as ServiceError;
  }
  throw new Error('expected the call to fail');
}
