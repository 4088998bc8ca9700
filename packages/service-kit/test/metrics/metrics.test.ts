import { status as Status } from '@grpc/grpc-js';
import { Counter, Registry } from 'prom-client';
import { sampleValue } from '@bookstore/test-support';
import { createMetricsServer, goCodeName, methodLabels } from '../../src';

describe('go-grpc-prometheus naming', () => {
  it('spells codes as Go does', () => {
    expect(
      [Status.OK, Status.CANCELLED, Status.INVALID_ARGUMENT, Status.RESOURCE_EXHAUSTED, Status.DEADLINE_EXCEEDED].map(
        goCodeName,
      ),
    ).toEqual(['OK', 'Canceled', 'InvalidArgument', 'ResourceExhausted', 'DeadlineExceeded']);
  });

  it('labels methods by type, service and name', () => {
    expect(methodLabels({ path: '/a.v1.S/ListBooks', requestStream: false, responseStream: true })).toEqual({
      grpc_type: 'server_stream',
      grpc_service: 'a.v1.S',
      grpc_method: 'ListBooks',
    });
    expect(methodLabels({ path: '/a.v1.S/Chat', requestStream: true, responseStream: true }).grpc_type).toBe(
      'bidi_stream',
    );
  });
});

describe('the /metrics endpoint', () => {
  it('serves the registry as Prometheus text, and 404 elsewhere', async () => {
    const registry = new Registry();
    new Counter({ name: 'pages_total', help: 'pages', labelNames: ['route'], registers: [registry] }).inc(
      { route: '/' },
      3,
    );
    const server = createMetricsServer({ registry, host: '127.0.0.1', port: 0 });
    const port = await server.start();
    try {
      const response = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(response.headers.get('content-type')).toContain('text/plain');
      const text = await response.text();
      expect(sampleValue(text, 'pages_total', { route: '/' })).toBe(3);
      expect(sampleValue(text, 'pages_total', { route: '/x' })).toBeUndefined();
      expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(404);
    } finally {
      await server.stop();
    }
  });
});
