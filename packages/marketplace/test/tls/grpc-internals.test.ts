import { BookCategory, RecommendationServiceClient } from '@bookstore/contracts';
import { createTestPki } from '@bookstore/dev-certificates';
import { credentials, Metadata, status as Status } from '@grpc/grpc-js';
import { readFileSync } from 'node:fs';
import { observeHandshakes } from '../../src/recommendations/grpc-internals';
import { type FakeRecommendations, startFakeRecommendations } from '../support/fake-recommendations';

// The grpc-js privates the Marketplace relies on (src/recommendations/grpc-internals.ts). When a grpc-js upgrade
// stops calling ChannelCredentials' `_createSecureConnector`, or asks a subclass for another
// method, this fails: the TLS failure log would otherwise go quiet, or every call would fail.
describe('the grpc-js internals the Marketplace reads', () => {
  const pki = createTestPki();
  let server: FakeRecommendations;
  let ca: Buffer;
  let otherCa: Buffer;
  beforeAll(async () => {
    const authority = await pki.authority('bookstore');
    const other = await pki.authority('other');
    const cert = await authority.issue({ commonName: 'recommendations', usage: 'server', altNames: ['localhost'] });
    ca = readFileSync(authority.caFile);
    otherCa = readFileSync(other.caFile);
    server = await startFakeRecommendations({ tls: { certFile: cert.certFile, keyFile: cert.keyFile } });
  });
  afterAll(async () => {
    await server.stop();
    pki.remove();
  });

  function call(trustedCa: Buffer) {
    const failures: unknown[] = [];
    const client = new RecommendationServiceClient(
      `localhost:${server.port}`,
      observeHandshakes(credentials.createSsl(trustedCa), { failed: (error) => failures.push(error) }),
    );
    const request = { userId: 1, category: BookCategory.BOOK_CATEGORY_MYSTERY, maxResults: 1 };
    return new Promise<{ code: Status; failures: unknown[] }>((resolve) =>
      client.recommend(request, new Metadata(), { deadline: Date.now() + 5000 }, (error) => {
        client.close();
        resolve({ code: error?.code ?? Status.OK, failures });
      }),
    );
  }

  it('let observed credentials connect as the credentials they wrap', async () => {
    expect(await call(ca)).toEqual({ code: Status.OK, failures: [] });
  });

  it('hand every failed handshake to the observer', async () => {
    const { code, failures } = await call(otherCa);
    expect(code).toBe(Status.UNAVAILABLE);
    expect(failures.length).toBeGreaterThan(0);
    expect((failures[0] as { code?: string }).code).toMatch(/CERT|SIGN|ISSUER/);
  });
});
