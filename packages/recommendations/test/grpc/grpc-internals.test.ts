import { BookCategory, RecommendationServiceClient, RecommendationServiceService } from '@bookstore/contracts';
import { credentials, Server, ServerCredentials, ServerInterceptingCall, status } from '@grpc/grpc-js';
import type { ServerHttp2Stream } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { http2ServersOf, sessionOf, streamOf } from '../../src/grpc/grpc-internals';
import { recommend } from '../support/calls';

// Every grpc-js private the service reads (src/grpc/grpc-internals.ts). When a grpc-js upgrade
// moves one, this fails: the service would only log that metrics, the access log, the caller
// identity cache, the connection cap or the shutdown's cut of open connections went off.
describe('the grpc-js internals the service reads', () => {
  let server: Server;
  let client: RecommendationServiceClient | undefined;
  afterEach(() => {
    client?.close();
    client = undefined;
    server.forceShutdown();
  });

  function bind(target: Server): Promise<number> {
    return new Promise((resolve, reject) =>
      target.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))),
    );
  }

  it('include the HTTP/2 servers grpc-js bound, one per port, emitting each call’s stream', async () => {
    const fromInterceptor: (ServerHttp2Stream | undefined)[] = [];
    const fromHandler: (ServerHttp2Stream | undefined)[] = [];
    server = new Server({
      interceptors: [
        (_method, call) => {
          fromInterceptor.push(streamOf(call));
          return new ServerInterceptingCall(call);
        },
      ],
    });
    server.addService(RecommendationServiceService, {
      recommend: (call: unknown, callback: (error: null, value: object) => void) => {
        fromHandler.push(streamOf(call));
        callback(null, { recommendations: [] });
      },
      listBooks: () => undefined,
    });
    expect(http2ServersOf(server)).toEqual([]);
    const first = await bind(server);
    const second = await bind(server);
    const servers = http2ServersOf(server);
    expect(servers?.map((s) => (s.address() as AddressInfo).port).sort()).toEqual([first, second].sort());

    const emitted: ServerHttp2Stream[] = [];
    for (const http2Server of servers ?? []) http2Server.on('stream', (s: ServerHttp2Stream) => emitted.push(s));
    client = new RecommendationServiceClient(`127.0.0.1:${second}`, credentials.createInsecure());
    await recommend(client, { userId: 1, category: BookCategory.BOOK_CATEGORY_MYSTERY, maxResults: 1 });

    // The stream a handler or an interceptor finds is the very one the HTTP/2 server emitted:
    // that is how a call is matched to the observer's record of it.
    expect(emitted).toHaveLength(1);
    expect(fromInterceptor).toHaveLength(1);
    expect(fromInterceptor[0]).toBe(emitted[0]);
    expect(fromHandler).toHaveLength(1);
    expect(fromHandler[0]).toBe(emitted[0]);
    expect(Number(emitted[0]?.sentTrailers?.['grpc-status'])).toBe(status.OK);
  });

  it('include the connection under a call', async () => {
    const sessions: unknown[] = [];
    server = new Server();
    server.addService(RecommendationServiceService, {
      recommend: (call: unknown, callback: (error: null, value: object) => void) => {
        sessions.push(sessionOf(call));
        callback(null, { recommendations: [] });
      },
      listBooks: () => undefined,
    });
    const port = await bind(server);
    const connections: unknown[] = [];
    for (const http2Server of http2ServersOf(server) ?? []) http2Server.on('session', (s) => connections.push(s));
    client = new RecommendationServiceClient(`127.0.0.1:${port}`, credentials.createInsecure());
    const request = { userId: 1, category: BookCategory.BOOK_CATEGORY_MYSTERY, maxResults: 1 };
    await recommend(client, request);
    await recommend(client, request);
    expect(connections).toHaveLength(1);
    expect(sessions).toHaveLength(2);
    expect(sessions[0]).toBe(connections[0]);
    expect(sessions[1]).toBe(connections[0]);
  });
});
