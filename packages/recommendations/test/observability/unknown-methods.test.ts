import { sampleValue } from '@bookstore/test-support';
import { connect } from 'node:http2';
import { createRawClient } from '../support/raw-client';
import { withTestServer } from '../support/with-test-server';

const UNKNOWN = { grpc_type: 'unknown', grpc_service: 'unknown', grpc_method: 'unknown' };

/** A plain HTTP/2 request (no gRPC content type) on its own session: resolves with its status. */
function plainHttp2(address: string, path: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const session = connect(`http://${address}`);
    session.on('error', reject);
    const stream = session.request({ ':method': 'GET', ':path': path, ...headers }, { endStream: true });
    stream.on('response', (response) => {
      stream.resume();
      stream.on('close', () => {
        session.close();
        resolve(Number(response[':status']));
      });
    });
    stream.on('error', reject);
  });
}

describe('unknown methods are counted only for gRPC streams', () => {
  const t = withTestServer();

  it('does not count non-gRPC HTTP/2 requests (answered 415), but still counts gRPC calls to unknown paths', async () => {
    expect(await plainHttp2(t.server.address, '/no.Such/Path')).toBe(415);
    expect(await plainHttp2(t.server.address, '/', { 'content-type': 'text/html' })).toBe(415);
    const before = sampleValue(await t.server.metrics(), 'grpc_server_started_total', UNKNOWN) ?? 0;
    expect(before).toBe(0);

    const raw = createRawClient(t.server.address);
    expect((await raw.unary('/no.Such/Path', Buffer.alloc(0))).error?.code).toBe(12);
    raw.close();
    const text = await t.server.metrics();
    expect(sampleValue(text, 'grpc_server_started_total', UNKNOWN)).toBe(1);
    expect(sampleValue(text, 'grpc_server_handled_total', { ...UNKNOWN, grpc_code: 'Unimplemented' })).toBe(1);
  });
});
