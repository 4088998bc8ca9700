import { type ChannelOptions, Client, credentials, Metadata, type ServiceError } from '@grpc/grpc-js';

const identity = (bytes: Buffer) => bytes;

/** A generic client that sends raw bytes as the request body: for malformed and oversized input. */
export function createRawClient(address: string, options: ChannelOptions = {}) {
  const client = new Client(address, credentials.createInsecure(), options);
  return {
    unary: (path: string, body: Buffer) =>
      new Promise<{ error: ServiceError | null; response?: Buffer }>((resolve) => {
        client.makeUnaryRequest(
          path,
          identity,
          identity,
          body,
          new Metadata(),
          { deadline: Date.now() + 5000 },
          (error, response) => resolve({ error, response }),
        );
      }),
    /** A server-streaming call with a raw body: resolves with the messages and the final error, if any. */
    serverStream: (path: string, body: Buffer) =>
      new Promise<{ error: ServiceError | null; messages: number }>((resolve) => {
        let messages = 0;
        const call = client.makeServerStreamRequest(path, identity, identity, body, new Metadata(), {
          deadline: Date.now() + 5000,
        });
        call.on('data', () => (messages += 1));
        call.on('error', (error: ServiceError) => resolve({ error, messages }));
        call.on('end', () => resolve({ error: null, messages }));
      }),
    close: () => client.close(),
  };
}

/** A RecommendRequest (user 1, MYSTERY, max 1) padded with an unknown bytes field of `padding` zero bytes. */
export function paddedRecommendRequest(padding: number): Buffer {
  const head = Buffer.from([0x08, 0x01, 0x10, 0x01, 0x18, 0x01]);
  const length: number[] = [];
  for (let n = padding; ; n >>>= 7) {
    if (n < 0x80) {
      length.push(n);
      break;
    }
    length.push((n & 0x7f) | 0x80);
  }
  return Buffer.concat([head, Buffer.from([0x7a, ...length]), Buffer.alloc(padding)]);
}
