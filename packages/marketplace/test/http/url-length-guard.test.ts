import { MAX_URL_LENGTH } from '../../src/http/url-length-guard';
import { withBookstore } from '../support/test-app';

describe('the URL length guard', () => {
  const t = withBookstore();

  it(`answers a request target over ${MAX_URL_LENGTH} characters with 414, with the usual headers`, async () => {
    const at = `/?category=${'a'.repeat(MAX_URL_LENGTH - '/?category='.length)}`;
    const over = `${at}a`;
    // At the limit the URL reaches the route (and its schema rejects the category).
    expect((await t.app.inject(at)).statusCode).toBe(400);
    const response = await t.app.inject({ url: over, headers: { 'x-request-id': 'too-long' } });
    expect([response.statusCode, response.body]).toEqual([414, 'URI Too Long']);
    expect(response.headers['x-request-id']).toBe('too-long');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
  });
});
