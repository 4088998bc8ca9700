import { REQUEST_ID_HEADER, requestIdOrNew } from '../../src';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('requestIdOrNew', () => {
  it('keeps an id that is short and made of safe characters', () => {
    for (const id of ['abc-123', 'trace.me:42_x', 'a'.repeat(128)]) expect(requestIdOrNew(id)).toBe(id);
  });

  it('replaces anything else with a new UUID, never echoing it', () => {
    for (const bad of [undefined, '', 'has spaces', '<script>', 'a'.repeat(129), ['abc'], 42, Buffer.from('abc')]) {
      const id = requestIdOrNew(bad);
      expect(id).toMatch(UUID);
    }
    expect(requestIdOrNew(undefined)).not.toBe(requestIdOrNew(undefined));
  });

  it('travels as x-request-id, in HTTP headers and gRPC metadata alike', () => {
    expect(REQUEST_ID_HEADER).toBe('x-request-id');
  });
});
