import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fetchMetricsText, sampleValue } from '../src';

const TEXT = [
  '# HELP pages_total pages',
  '# TYPE pages_total counter',
  'pages_total{route="/",code="200"} 3',
  'pages_total{route="/books",code="200"} 7',
  'up 1',
  'up_seconds 9',
].join('\n');

describe('sampleValue', () => {
  it('finds the first sample whose labels include the ones asked for', () => {
    expect(sampleValue(TEXT, 'pages_total', { route: '/books' })).toBe(7);
    expect(sampleValue(TEXT, 'pages_total')).toBe(3);
    expect(sampleValue(TEXT, 'up')).toBe(1);
  });

  it('is undefined for a missing name or label, and never matches a longer name', () => {
    expect(sampleValue(TEXT, 'pages_total', { route: '/x' })).toBeUndefined();
    expect(sampleValue(TEXT, 'pages')).toBeUndefined();
  });
});

describe('fetchMetricsText', () => {
  it('reads GET /metrics on a loopback port', async () => {
    const server = createServer((request, response) => response.end(request.url === '/metrics' ? TEXT : 'wrong path'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      expect(await fetchMetricsText((server.address() as AddressInfo).port)).toBe(TEXT);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
