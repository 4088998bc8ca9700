import { type Client, type ClientReadableStream, makeClientConstructor, type ServiceError } from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';
import type { Connection } from './connection';

export type ServingStatus = 'UNKNOWN' | 'SERVING' | 'NOT_SERVING' | 'SERVICE_UNKNOWN';

/** The standard grpc.health.v1.Health client, as Kubernetes' probes and grpc_health_probe use it. */
export type HealthClient = Client & {
  check(
    request: { service: string },
    options: { deadline: Date },
    callback: (error: ServiceError | null, response: { status: ServingStatus }) => void,
  ): void;
  watch(request: { service: string }, options: { deadline?: Date }): ClientReadableStream<{ status: ServingStatus }>;
};

const HealthClientConstructor = makeClientConstructor(healthService, 'grpc.health.v1.Health');

export function createHealthClient(connection: Connection): HealthClient {
  return new HealthClientConstructor(
    connection.target,
    connection.credentials,
    connection.channelOptions,
  ) as unknown as HealthClient;
}
