import { startTracing } from '@bookstore/service-kit/tracing';

/**
 * Imported first by main.ts: OpenTelemetry must patch `http` and `@grpc/grpc-js` before any other
 * module loads them. Off (nothing loaded) unless OTEL_EXPORTER_OTLP_ENDPOINT is set.
 */
export const tracing = startTracing({ serviceName: 'recommendations', env: process.env });
