export { DEFAULT_SECONDS_BUCKETS, goCodeName, methodLabels } from './grpc-labels';
export type { GrpcType, MethodLabels } from './grpc-labels';
export { createMetricsServer } from './metrics-server';
export type { MetricsServer, ProbeAnswer } from './metrics-server';
export { sampleValue } from './prometheus-text';
