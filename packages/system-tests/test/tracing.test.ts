import { RECOMMENDATION_SERVICE_NAME } from '@bookstore/contracts';
import { setTimeout as sleep } from 'node:timers/promises';
import { startMarketplace, startReplicas, stopAll } from './support/bookstore';
import { startOtlpReceiver, type ReceivedSpan } from './support/otlp-receiver';
import { loadPage } from './support/pages';
import type { ServiceProcess } from './support/processes';

const SERVER = 2;
const CLIENT = 3;

/** What a browser, or anyone on the internet, may send: a trace of its own, sampled, and 8 KB of baggage. */
const OUTSIDE_TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const OUTSIDE_CONTEXT = {
  traceparent: `00-${OUTSIDE_TRACE_ID}-00f067aa0ba902b7-01`,
  // Two entries under the W3C limits (4 KiB an entry, 8 KiB in all), which OpenTelemetry enforces.
  baggage: `a=${'x'.repeat(4000)},b=${'y'.repeat(4000)}`,
};

/**
 * Loads a page with OUTSIDE_CONTEXT through a Marketplace and a Recommendations replica that
 * export to an OTLP receiver, and returns the page's server span, its gRPC client span, the
 * Recommendations handler's span, and the metadata the handler received (its debug log line).
 */
async function tracePage(marketplaceEnv: Record<string, string>) {
  const receiver = await startOtlpReceiver();
  const otel = {
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_BSP_SCHEDULE_DELAY: '100',
    OTEL_TRACES_SAMPLER: 'parentbased_always_on',
  };
  let processes: ServiceProcess[] = [];
  try {
    const [replica] = await startReplicas(1, { ...otel, LOG_LEVEL: 'debug' });
    const marketplace = await startMarketplace(`127.0.0.1:${replica?.port}`, { ...otel, ...marketplaceEnv });
    processes = [marketplace, replica as ServiceProcess];
    expect([marketplace.ready.tracing, replica?.ready.tracing]).toEqual([true, true]);
    const page = await loadPage(`http://127.0.0.1:${marketplace.port}/`, {
      ...OUTSIDE_CONTEXT,
      'x-request-id': 'traced-page',
    });
    expect(page.books).toHaveLength(3);
    const line = await replica!.waitForLog((l) => l.msg === 'rpc finished' && l.requestId === 'traced-page');

    // Each process exports on its own schedule (a batch 100 ms after a span ends), and the page
    // span ends last, after the response: wait for all three spans, not the first.
    const find = () => {
      const pageSpan = receiver.spans.find((s) => s.service === 'marketplace' && s.kind === SERVER);
      const inTrace = (s: ReceivedSpan) => s.traceId === pageSpan?.traceId;
      return {
        pageSpan,
        rpcClient: receiver.spans.find(
          (s) => inTrace(s) && s.service === 'marketplace' && s.kind === CLIENT && s.name.includes('Recommend'),
        ),
        rpcServer: receiver.spans.find((s) => inTrace(s) && s.service === 'recommendations' && s.kind === SERVER),
      };
    };
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline && Object.values(find()).includes(undefined)) await sleep(100);
    return { ...find(), metadata: (line.metadata ?? {}) as Record<string, unknown> };
  } finally {
    await stopAll(processes);
    await receiver.close();
  }
}

describe('W3C trace context with OpenTelemetry', () => {
  it('starts the trace at the Marketplace, whatever a client sends, with the gRPC call and the handler in it', async () => {
    const { pageSpan, rpcClient, rpcServer, metadata } = await tracePage({});
    // Issue 25: a public traceparent forced sampling and chose the trace; it is not read.
    expect(pageSpan?.traceId).not.toBe(OUTSIDE_TRACE_ID);
    expect(pageSpan?.parentSpanId ?? '').toBe('');
    expect(rpcClient?.parentSpanId).toBe(pageSpan?.spanId);
    expect(rpcServer?.name).toContain(`${RECOMMENDATION_SERVICE_NAME}/Recommend`);
    expect(rpcServer?.parentSpanId).toBe(rpcClient?.spanId);
    // The 8 KB of baggage went no further than the Marketplace.
    expect(Object.keys(metadata)).toContain('traceparent');
    expect(Object.keys(metadata)).not.toContain('baggage');
  });

  it('continues a trace started by a trusted proxy with TRACING_TRUST_INCOMING_CONTEXT=true, baggage still dropped', async () => {
    const { pageSpan, rpcClient, rpcServer, metadata } = await tracePage({ TRACING_TRUST_INCOMING_CONTEXT: 'true' });
    expect(pageSpan?.traceId).toBe(OUTSIDE_TRACE_ID);
    expect(pageSpan?.parentSpanId).toBe('00f067aa0ba902b7');
    expect(rpcClient?.parentSpanId).toBe(pageSpan?.spanId);
    expect(rpcServer?.parentSpanId).toBe(rpcClient?.spanId);
    expect(Object.keys(metadata)).not.toContain('baggage');
  });
});
