// The kit's main entry. Tracing is a subpath of its own (`@bookstore/service-kit/tracing`): this
// barrel loads `http` and `@grpc/grpc-js` (metrics), which OpenTelemetry must patch before they load.
export { ConfigError, createEnvReader, loadConfigOrExit } from './config/env-reader';
export type { EnvReader } from './config/env-reader';
export { accessLogDecision } from './logging/access-log-policy';
export type { AccessLogDecision, AccessLogPolicy } from './logging/access-log-policy';
export { createLogDestination } from './logging/log-destination';
export type { LogDestination } from './logging/log-destination';
export { LOG_LEVELS } from './logging/log-levels';
export type { LogLevel } from './logging/log-levels';
export { DEFAULT_SECONDS_BUCKETS, goCodeName, methodLabels } from './metrics/grpc-labels';
export type { GrpcType, MethodLabels } from './metrics/grpc-labels';
export { createMetricsServer } from './metrics/metrics-server';
export type { MetricsServer, ProbeAnswer } from './metrics/metrics-server';
export { acceptableRequestId, REQUEST_ID_HEADER, requestIdOrNew } from './request-id/request-id';
export { handleShutdownSignals } from './shutdown/shutdown-signals';
