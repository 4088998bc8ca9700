import {
  type GetBookResponse,
  ListBooksRequest,
  ReaderEvent,
  RecordEventsRequest,
  type RecordEventsResponse,
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

/** GetBook as a promise; rejects with the ServiceError. */
export function getBook(client: RecommendationServiceClient, bookId: number): Promise<GetBookResponse> {
  return new Promise((resolve, reject) => {
    client.getBook({ bookId }, new Metadata(), { deadline: Date.now() + 5000 }, (error, response) =>
      error ? reject(error) : resolve(response),
    );
  });
}

/** One RecordEvents stream: each `send` resolves with the answer to that batch, in order. */
export function openRecordEvents(client: RecommendationServiceClient) {
  const call = client.recordEvents();
  const waiting: Array<{ resolve(response: RecordEventsResponse): void; reject(error: Error): void }> = [];
  let ended: ServiceError | undefined;
  const status = new Promise<{ code: number; details: string }>((resolve) => call.on('status', resolve));
  call.on('data', (response: RecordEventsResponse) => waiting.shift()?.resolve(response));
  call.on('error', (error: ServiceError) => {
    ended = error;
    for (const waiter of waiting.splice(0)) waiter.reject(error);
  });
  return {
    call,
    /** The call's final status. */
    status,
    send(events: Array<Partial<ReaderEvent>>): Promise<RecordEventsResponse> {
      if (ended !== undefined) return Promise.reject(ended);
      return new Promise((resolve, reject) => {
        waiting.push({ resolve, reject });
        call.write(RecordEventsRequest.create({ events: events.map((event) => ReaderEvent.create(event)) }));
      });
    },
    /** Half-closes and waits for the final status. */
    async end() {
      call.end();
      return status;
    },
  };
}
