import { status as Status } from '@grpc/grpc-js';

/** gRPC code → the name go-grpc-prometheus writes in `grpc_code` (Go's codes.Code.String()). */
const GO_CODE_NAMES: Record<Status, string> = {
  [Status.OK]: 'OK',
  [Status.CANCELLED]: 'Canceled',
  [Status.UNKNOWN]: 'Unknown',
  [Status.INVALID_ARGUMENT]: 'InvalidArgument',
  [Status.DEADLINE_EXCEEDED]: 'DeadlineExceeded',
  [Status.NOT_FOUND]: 'NotFound',
  [Status.ALREADY_EXISTS]: 'AlreadyExists',
  [Status.PERMISSION_DENIED]: 'PermissionDenied',
  [Status.RESOURCE_EXHAUSTED]: 'ResourceExhausted',
  [Status.FAILED_PRECONDITION]: 'FailedPrecondition',
  [Status.ABORTED]: 'Aborted',
  [Status.OUT_OF_RANGE]: 'OutOfRange',
  [Status.UNIMPLEMENTED]: 'Unimplemented',
  [Status.INTERNAL]: 'Internal',
  [Status.UNAVAILABLE]: 'Unavailable',
  [Status.DATA_LOSS]: 'DataLoss',
  [Status.UNAUTHENTICATED]: 'Unauthenticated',
};

export function goCodeName(code: Status): string {
  return GO_CODE_NAMES[code] ?? `Code(${code})`;
}

export type GrpcType = 'unary' | 'client_stream' | 'server_stream' | 'bidi_stream';

export interface MethodLabels {
  grpc_type: GrpcType;
  grpc_service: string;
  grpc_method: string;
}

/** The go-grpc-prometheus labels of a method, from its path and streaming flags. */
export function methodLabels(method: { path: string; requestStream: boolean; responseStream: boolean }): MethodLabels {
  const [, service = '', name = ''] = method.path.split('/');
  const grpcType: GrpcType = method.requestStream
    ? method.responseStream
      ? 'bidi_stream'
      : 'client_stream'
    : method.responseStream
      ? 'server_stream'
      : 'unary';
  return { grpc_type: grpcType, grpc_service: service, grpc_method: name };
}

/** Histogram buckets of go-grpc-prometheus (Prometheus' DefBuckets), in seconds. */
export const DEFAULT_SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
