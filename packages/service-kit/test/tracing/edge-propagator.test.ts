import {
  context,
  defaultTextMapGetter,
  defaultTextMapSetter,
  propagation,
  ROOT_CONTEXT,
  trace,
} from '@opentelemetry/api';
import { core } from '@opentelemetry/sdk-node';
import { createEdgePropagator } from '../../src/tracing/edge-propagator';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const FROM_CLIENT = {
  traceparent: `00-${TRACE_ID}-00f067aa0ba902b7-01`,
  baggage: 'a=1,b=2',
};

describe('the edge propagator (a service the internet reaches)', () => {
  it('reads no trace context from clients, and sends its own trace context on without baggage', () => {
    const edge = createEdgePropagator(new core.W3CTraceContextPropagator(), false);
    const extracted = edge.extract(ROOT_CONTEXT, FROM_CLIENT, defaultTextMapGetter);
    expect(trace.getSpanContext(extracted)).toBeUndefined();

    const own = trace.setSpanContext(
      propagation.setBaggage(ROOT_CONTEXT, propagation.createBaggage({ a: { value: '1' } })),
      { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: 1 },
    );
    const carrier: Record<string, string> = {};
    edge.inject(own, carrier, defaultTextMapSetter);
    expect(carrier).toEqual({ traceparent: `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01` });
    expect(edge.fields()).not.toContain('baggage');
  });

  it('continues a trusted proxy trace when told to, baggage still not read', () => {
    const edge = createEdgePropagator(new core.W3CTraceContextPropagator(), true);
    const extracted = edge.extract(context.active(), FROM_CLIENT, defaultTextMapGetter);
    expect(trace.getSpanContext(extracted)?.traceId).toBe(TRACE_ID);
    expect(propagation.getBaggage(extracted)).toBeUndefined();
  });
});
