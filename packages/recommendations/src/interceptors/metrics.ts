import { methodLabels } from '@bookstore/metrics';
import { ServerInterceptingCall, type ServerInterceptor } from '@grpc/grpc-js';
import type { ServerMetrics } from '../observability/server-metrics';
import { trackCallEnd } from './call-end';

/**
 * go-grpc-prometheus' server metrics: started, handled by code, handling seconds, messages
 * received and sent. Label sets are resolved once per method, not on every call.
 */
export function createMetricsInterceptor(metrics: ServerMetrics): ServerInterceptor {
  const byMethod = new Map<string, ReturnType<ServerMetrics['forMethod']>>();
  return (method, call) => {
    let forMethod = byMethod.get(method.path);
    if (forMethod === undefined) {
      forMethod = metrics.forMethod(methodLabels(method));
      byMethod.set(method.path, forMethod);
    }
    const observed = forMethod;
    observed.started.inc();
    const stopTimer = observed.handlingSeconds.startTimer();
    const end = trackCallEnd(call, (code) => {
      stopTimer();
      observed.handled(code).inc();
    });
    return new ServerInterceptingCall(call, {
      start: (next) =>
        next({
          onReceiveMessage: (message, nextMessage) => {
            observed.received.inc();
            nextMessage(message);
          },
          onCancel: () => end.cancelled(),
        }),
      sendMessage: (message, next) => {
        observed.sent.inc();
        next(message);
      },
      sendStatus: (status, next) => {
        end.statusSent(status.code);
        next(status);
      },
    });
  };
}
