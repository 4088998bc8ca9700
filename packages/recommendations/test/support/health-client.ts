import {
  type ChannelCredentials,
  type Client,
  credentials,
  makeClientConstructor,
  type ServiceError,
} from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';

type HealthClient = Client & {
  check(
    request: { service: string },
    options: object,
    callback: (error: ServiceError | null, response: { status: string }) => void,
  ): void;
  watch(request: { service: string }): NodeJS.EventEmitter & { cancel(): void };
};

const HealthClientConstructor = makeClientConstructor(healthService, 'grpc.health.v1.Health');

/** A standard grpc.health.v1 client, as Kubernetes probes and grpc_health_probe use. */
export function createHealthClient(
  address: string,
  channelCredentials: ChannelCredentials = credentials.createInsecure(),
) {
  const client = new HealthClientConstructor(address, channelCredentials) as unknown as HealthClient;
  return {
    check: (service: string) =>
      new Promise<string>((resolve, reject) =>
        client.check({ service }, { deadline: Date.now() + 3000 }, (error, response) =>
          error ? reject(error) : resolve(response.status),
        ),
      ),
    watch: (service: string) => client.watch({ service }),
    close: () => client.close(),
  };
}
