import { goCodeName, methodLabels } from '@bookstore/service-kit';
import { InterceptingCall, type Interceptor, type status as Status } from '@grpc/grpc-js';
import type { MarketplaceMetrics } from './marketplace-metrics';

type MethodDefinition = Parameters<Interceptor>[0]['method_definition'];

/** One method's metric children, resolved once: a label lookup per call was a measured cost. */
interface MethodChildren {
  readonly started: { inc(): void };
  readonly seconds: { observe(value: number): void };
  handled(code: Status): { inc(): void };
}

/**
 * A client interceptor counting every call to Recommendations once, however many attempts the
 * retry policy made below it: started, handled by code, and handling seconds. Each method's
 * label set is built and resolved on its first call (the client calls the contract's few
 * methods, so the map is bounded).
 */
export function createClientMetricsInterceptor(metrics: MarketplaceMetrics): Interceptor {
  const byPath = new Map<string, MethodChildren>();
  const childrenOf = (method: MethodDefinition): MethodChildren => {
    let children = byPath.get(method.path);
    if (children === undefined) {
      const labels = methodLabels(method);
      const byCode = new Map<Status, { inc(): void }>();
      children = {
        started: metrics.grpcClientStarted.labels(labels),
        seconds: metrics.grpcClientHandlingSeconds.labels(labels),
        handled(code) {
          let child = byCode.get(code);
          if (child === undefined) {
            child = metrics.grpcClientHandled.labels({ ...labels, grpc_code: goCodeName(code) });
            byCode.set(code, child);
          }
          return child;
        },
      };
      byPath.set(method.path, children);
    }
    return children;
  };
  return (options, nextCall) => {
    const children = childrenOf(options.method_definition);
    children.started.inc();
    const started = performance.now();
    return new InterceptingCall(nextCall(options), {
      start: (metadata, _listener, next) =>
        next(metadata, {
          onReceiveStatus: (status, nextStatus) => {
            children.seconds.observe((performance.now() - started) / 1000);
            children.handled(status.code).inc();
            nextStatus(status);
          },
        }),
    });
  };
}
