import { BinaryReader, BinaryWriter, WireType } from '@bufbuild/protobuf/wire';
import {
  type CallOptions,
  type ChannelCredentials,
  Client,
  type ClientOptions,
  type ClientReadableStream,
  type ClientUnaryCall,
  Metadata,
  type ServiceError,
} from '@grpc/grpc-js';

/**
 * The standard grpc.health.v1.Health client, as Kubernetes' gRPC probes and grpc_health_probe use
 * it. Hand-written rather than generated: the two messages have one field each, and the service
 * side is grpc-health-check's. Built on grpc-js' public `Client` request methods, so it is typed
 * without a cast.
 */
export const HEALTH_SERVICE_NAME = 'grpc.health.v1.Health';

/** grpc.health.v1.HealthCheckResponse.ServingStatus, by name (as grpc-health-check and the probes print it). */
export type ServingStatus = 'UNKNOWN' | 'SERVING' | 'NOT_SERVING' | 'SERVICE_UNKNOWN';
const SERVING_STATUSES: readonly ServingStatus[] = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'];

export interface HealthCheckRequest {
  /** The service name; empty for the server as a whole. */
  service: string;
}

export interface HealthCheckResponse {
  /** A number the enum does not name (a newer server's) reads as `UNKNOWN`. */
  status: ServingStatus;
}

/** The one field (number 1) of a health message, when it has the wire type `wireType`; others are skipped. */
function readField1(bytes: Uint8Array, wireType: WireType, read: (reader: BinaryReader) => void): void {
  const reader = new BinaryReader(bytes);
  while (reader.pos < reader.len) {
    const [field, type] = reader.tag();
    if (field === 1 && type === wireType) read(reader);
    else reader.skip(type);
  }
}

/** A health message's bytes: `write` adds its field (or nothing, for the default value). */
function encoded(write: (writer: BinaryWriter) => void): Buffer {
  const writer = new BinaryWriter();
  write(writer);
  return Buffer.from(writer.finish());
}

export const HealthCheckRequest = {
  encode: (message: HealthCheckRequest): Buffer =>
    encoded((writer) => {
      if (message.service !== '') writer.uint32(10).string(message.service);
    }),
  decode: (bytes: Uint8Array): HealthCheckRequest => {
    const message: HealthCheckRequest = { service: '' };
    readField1(bytes, WireType.LengthDelimited, (reader) => (message.service = reader.string()));
    return message;
  },
};

export const HealthCheckResponse = {
  encode: (message: HealthCheckResponse): Buffer =>
    encoded((writer) => {
      const status = SERVING_STATUSES.indexOf(message.status);
      if (status > 0) writer.uint32(8).int32(status);
    }),
  decode: (bytes: Uint8Array): HealthCheckResponse => {
    const message: HealthCheckResponse = { status: 'UNKNOWN' };
    readField1(bytes, WireType.Varint, (reader) => (message.status = SERVING_STATUSES[reader.int32()] ?? 'UNKNOWN'));
    return message;
  },
};

const CHECK = `/${HEALTH_SERVICE_NAME}/Check`;
const WATCH = `/${HEALTH_SERVICE_NAME}/Watch`;

/** A grpc.health.v1.Health client: `new HealthClient(address, credentials, options)`. */
export class HealthClient extends Client {
  constructor(address: string, credentials: ChannelCredentials, options?: Partial<ClientOptions>) {
    super(address, credentials, options);
  }

  /** One Check: the status of `request.service` now. */
  check(
    request: HealthCheckRequest,
    options: Partial<CallOptions>,
    callback: (error: ServiceError | null, response?: HealthCheckResponse) => void,
  ): ClientUnaryCall {
    return this.makeUnaryRequest(
      CHECK,
      HealthCheckRequest.encode,
      HealthCheckResponse.decode,
      request,
      new Metadata(),
      options,
      callback,
    );
  }

  /** The status now, then every change, until the call ends or is cancelled. */
  watch(request: HealthCheckRequest, options: Partial<CallOptions> = {}): ClientReadableStream<HealthCheckResponse> {
    return this.makeServerStreamRequest(
      WATCH,
      HealthCheckRequest.encode,
      HealthCheckResponse.decode,
      request,
      new Metadata(),
      options,
    );
  }
}
