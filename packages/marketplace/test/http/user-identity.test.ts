import { recommendRequest, startFakeRecommendations } from '../support/fake-recommendations';
import { buildTestApp, withBookstore } from '../support/test-app';

describe('the user a page is for (http/user-identity.ts)', () => {
  const t = withBookstore();

  it('sets a uid cookie on the first visit and keeps it afterwards', async () => {
    const first = await t.app.inject('/');
    const cookie = first.cookies.find((c) => c.name === 'uid');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(Number(cookie?.value)).toBeGreaterThan(0);
    const again = await t.app.inject({ url: '/', cookies: { uid: String(cookie?.value) } });
    expect(again.cookies).toHaveLength(0);
  });
});

describe('the user id sent to Recommendations', () => {
  it('sends the uid cookie as user_id, and for ?user an anonymous reader, 0 (never the id typed)', async () => {
    const server = await startFakeRecommendations();
    const t = await buildTestApp({ address: server.address });
    try {
      await t.app.inject('/?user=42');
      await t.app.inject({ url: '/', cookies: { uid: '777' } });
      // Not an id under the one rule (>= 1): a new user, with a new cookie.
      for (const uid of ['not-a-number', '0']) {
        const response = await t.app.inject({ url: '/', cookies: { uid } });
        expect(Number(response.cookies.find((c) => c.name === 'uid')?.value)).toBeGreaterThanOrEqual(1);
      }
      const seen = server.calls.map((c) => recommendRequest(c).userId);
      expect(seen[0]).toBe(0);
      expect(seen[1]).toBe(777);
      for (const id of seen.slice(2)) expect(id).toBeGreaterThanOrEqual(1);
      expect(seen.slice(2)).not.toContain(777);
    } finally {
      await t.close();
      await server.stop();
    }
  });
});
