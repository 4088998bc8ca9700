// Types only: erased at compile time, so nothing below is loaded unless tracing is on.
import type * as GrpcInstrumentationModule from '@opentelemetry/instrumentation-grpc';
import type * as HttpInstrumentationModule from '@opentelemetry/instrumentation-http';
import type * as SdkNodeModule from '@opentelemetry/sdk-node';
import { createEdgePropagator } from './edge-propagator';

export interface Tracing {
  /** Flushes buffered spans and stops exporting; call during shutdown. */
  shutdown(): Promise<void>;
}

/**
 * Starts OpenTelemetry when `OTEL_EXPORTER_OTLP_ENDPOINT` is set: HTTP and gRPC instrumentation,
 * W3C trace context propagated in and out, spans exported over OTLP (the exporter, sampler and
 * resource follow the standard OTEL_* variables). Without the variable it loads nothing and
 * patches nothing: tracing off costs nothing.
 *
 * It must run before the modules it instruments (`http`, `@grpc/grpc-js`) are first required,
 * which is why each service's `main.ts` imports its `tracing.ts` first. That file is the one
 * place besides `config.ts` that reads the environment: OpenTelemetry has to patch modules before
 * anything else loads them.
 */
export function startTracing(options: {
  serviceName: string;
  env: Readonly<Record<string, string | undefined>>;
  /**
   * A service the internet reaches: traces start here, whatever clients send, unless
   * `trustIncomingContext` (edge-propagator.ts); baggage is dropped either way.
   */
  edge?: { trustIncomingContext: boolean };
}): Tracing | undefined {
  if (!options.env.OTEL_EXPORTER_OTLP_ENDPOINT) return undefined;
  // Required lazily so that none of it is loaded when tracing is off.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { NodeSDK, core } = require('@opentelemetry/sdk-node') as typeof SdkNodeModule;
  const { HttpInstrumentation } = require('@opentelemetry/instrumentation-http') as typeof HttpInstrumentationModule;
  const { GrpcInstrumentation } = require('@opentelemetry/instrumentation-grpc') as typeof GrpcInstrumentationModule;
  /* eslint-enable @typescript-eslint/no-require-imports */
  const sdk = new NodeSDK({
    serviceName: options.env.OTEL_SERVICE_NAME ?? options.serviceName,
    // Otherwise OTEL_PROPAGATORS (W3C trace context and baggage by default).
    ...(options.edge && {
      textMapPropagator: createEdgePropagator(new core.W3CTraceContextPropagator(), options.edge.trustIncomingContext),
    }),
    instrumentations: [
      new HttpInstrumentation({
        // Probes and scrapes are not traffic worth tracing.
        ignoreIncomingRequestHook: (request) => /^\/(healthz|readyz|metrics)\b/.test(request.url ?? ''),
      }),
      new GrpcInstrumentation({ ignoreGrpcMethods: [/^Check$/, /^Watch$/] }),
    ],
  });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
}
