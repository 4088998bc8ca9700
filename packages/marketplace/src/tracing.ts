import { startTracing } from '@bookstore/service-kit/tracing';

/**
 * Imported first by main.ts: OpenTelemetry must patch `http` and `@grpc/grpc-js` before any other
 * module loads them. Off (nothing loaded) unless OTEL_EXPORTER_OTLP_ENDPOINT is set.
 *
 * The Marketplace is the edge: a trace starts here, not where a client's `traceparent` says, and
 * client `baggage` goes no further (issue 25); `TRACING_TRUST_INCOMING_CONTEXT=true` continues
 * the traces of a proxy in front that starts them itself.
 */
export const tracing = startTracing({
  serviceName: 'marketplace',
  env: process.env,
  edge: { trustIncomingContext: process.env.TRACING_TRUST_INCOMING_CONTEXT === 'true' },
});
