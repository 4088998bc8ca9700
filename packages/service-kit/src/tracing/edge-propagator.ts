import type { Context, TextMapGetter, TextMapPropagator, TextMapSetter } from '@opentelemetry/api';

/**
 * The propagator of a service the internet reaches (the Marketplace): it sends W3C trace context
 * on to the services it calls, and reads none from its clients unless told to trust them.
 *
 * A public `traceparent` let anyone choose the trace and force it sampled, and public `baggage`
 * (up to 8 KiB) was forwarded into every gRPC call's metadata (issue 25). So traces start here,
 * and baggage is neither read nor sent: nothing in the bookstore uses it. `trustIncoming` is for
 * a deployment behind a proxy that starts traces itself and strips what clients sent.
 */
export function createEdgePropagator(traceContext: TextMapPropagator, trustIncoming: boolean): TextMapPropagator {
  return {
    inject(context: Context, carrier: unknown, setter: TextMapSetter) {
      traceContext.inject(context, carrier, setter);
    },
    extract(context: Context, carrier: unknown, getter: TextMapGetter) {
      return trustIncoming ? traceContext.extract(context, carrier, getter) : context;
    },
    fields: () => traceContext.fields(),
  };
}
