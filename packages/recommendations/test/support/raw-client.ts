import { type ChannelOptions, Client, credentials, Metadata, type ServiceError } from '@grpc/grpc-js';
import { connect, type IncomingHttpHeaders } from 'node:http2';

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

/**
 * A unary call over bare HTTP/2 with a `grpc-timeout` header (e.g. `100m`) and no deadline of its
 * own: the client never cancels, so only the server's deadline timer can end the call, with no
 * race against a client's RST_STREAM. Resolves with the grpc-status the server sent.
 */
export async function unaryWithServerDeadline(
  address: string,
  path: string,
  body: Uint8Array,
  grpcTimeout: string,
): Promise<number> {
  const session = connect(`http://${address}`);
  try {
    const stream = session.request({
      ':method': 'POST',
      ':path': path,
      'content-type': 'application/grpc',
      te: 'trailers',
      'grpc-timeout': grpcTimeout,
    });
    const frame = Buffer.alloc(5 + body.length);
    frame.writeUInt32BE(body.length, 1);
    frame.set(body, 5);
    stream.end(frame);
    stream.resume();
    const status = await new Promise<unknown>((resolve, reject) => {
      let sent: unknown;
      stream.on('response', (headers: IncomingHttpHeaders) => (sent = headers['grpc-status'])); // a trailers-only answer
      stream.on('trailers', (trailers: IncomingHttpHeaders) => (sent = trailers['grpc-status']));
      stream.on('close', () => resolve(sent));
      stream.on('error', reject);
    });
    return Number(status);
  } finally {
    session.close();
  }
}
