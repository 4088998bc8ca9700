import { BookCategory, RecommendationServiceClient, RecommendationServiceService } from '@bookstore/contracts';
import { createTestPki } from '@bookstore/dev-certificates';
import { credentials, Server, ServerInterceptingCall } from '@grpc/grpc-js';
import pino from 'pino';
import type { PeerCertificate } from 'node:tls';
import { createServerCredentials } from '../../src/credentials';
import { callerIdentity } from '../../src/grpc/caller-identity';
import { sessionOf } from '../../src/grpc/grpc-internals';
import { createHandlerAdapters } from '../../src/grpc/handler-adapters';
import { recommend } from '../support/calls';

describe('the caller identity handlers can read', () => {
  it('is the client certificate CN over mutual TLS', async () => {
    const pki = createTestPki();
    const ca = await pki.authority('bookstore');
    const serverCert = await ca.issue({ commonName: 'recommendations', usage: 'server', altNames: ['localhost'] });
    const client = await ca.issue({ commonName: 'marketplace', usage: 'client' });
    const { unary } = createHandlerAdapters(pino({ level: 'silent' }));
    // The per-connection cache keys on the HTTP/2 session under the call; it must be found.
    const sessionsFound: boolean[] = [];
    const server = new Server({
      interceptors: [
        (_method, call) => {
          sessionsFound.push(sessionOf(call) !== undefined);
          return new ServerInterceptingCall(call);
        },
      ],
    });
    server.addService(RecommendationServiceService, {
      recommend: unary((_request, context) => ({
        recommendations: [{ id: 1, title: context.caller ?? 'nobody', becauseOfBookId: 0, becauseOfTitle: '' }],
      })),
      listBooks: () => undefined,
    });
    const tls = createServerCredentials({
      certFile: serverCert.certFile,
      keyFile: serverCert.keyFile,
      clientCaFile: ca.caFile,
      reloadIntervalMs: 60_000,
      allowedClients: undefined,
    });
    await tls.loaded();
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', tls.credentials, (e, p) => (e ? reject(e) : resolve(p))),
    );
    const stub = new RecommendationServiceClient(
      `localhost:${port}`,
      credentials.createSsl(ca.ca, client.key, client.cert),
    );
    try {
      const response = await recommend(stub, {
        userId: 1,
        category: BookCategory.BOOK_CATEGORY_MYSTERY,
        maxResults: 1,
      });
      expect(response.recommendations[0]?.title).toBe('marketplace');
      const again = await recommend(stub, { userId: 1, category: BookCategory.BOOK_CATEGORY_MYSTERY, maxResults: 1 });
      expect(again.recommendations[0]?.title).toBe('marketplace');
      expect(sessionsFound).toEqual([true, true]);
    } finally {
      stub.close();
      server.forceShutdown();
      pki.remove();
    }
  });

  it('falls back to the first subject alternative name, and is undefined without a certificate', () => {
    const cert = (subject: Record<string, string>, subjectaltname?: string) =>
      ({ subject, subjectaltname }) as unknown as PeerCertificate;
    expect(callerIdentity({ sslPeerCertificate: cert({}, 'URI:spiffe://bookstore/marketplace, DNS:x') })).toBe(
      'spiffe://bookstore/marketplace',
    );
    expect(callerIdentity({ sslPeerCertificate: cert({ CN: 'marketplace' }, 'DNS:x') })).toBe('marketplace');
    expect(callerIdentity({})).toBeUndefined();
    expect(callerIdentity(null)).toBeUndefined();
  });
});
