import { goCodeName, methodLabels } from '@bookstore/service-kit';
import { InterceptingCall, type Interceptor } from '@grpc/grpc-js';
import type { MarketplaceMetrics } from './marketplace-metrics';

/**
 * A client interceptor counting every call to Recommendations once, however many attempts the
 * retry policy made below it: started, handled by code, and handling seconds.
 */
export function createClientMetricsInterceptor(metrics: MarketplaceMetrics): Interceptor {
  return (options, nextCall) => {
    const labels = methodLabels(options.method_definition);
    metrics.grpcClientStarted.inc(labels);
    const stopTimer = metrics.grpcClientHandlingSeconds.startTimer(labels);
    return new InterceptingCall(nextCall(options), {
      start: (metadata, _listener, next) =>
        next(metadata, {
          onReceiveStatus: (status, nextStatus) => {
            stopTimer();
            metrics.grpcClientHandled.inc({ ...labels, grpc_code: goCodeName(status.code) });
            nextStatus(status);
          },
        }),
    });
  };
}
