import {
  type ChannelCredentials,
  type Client,
  type ClientReadableStream,
  credentials,
  makeClientConstructor,
  type ServiceError,
} from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';

type HealthStatus = { status: string };

/** What `makeClientConstructor` builds for grpc.health.v1.Health, typed (it types methods as `Function`). */
type RawHealthClient = Client & {
  check(
    request: { service: string },
    options: { deadline: number },
    callback: (error: ServiceError | null, response: HealthStatus) => void,
  ): void;
  watch(request: { service: string }): ClientReadableStream<HealthStatus>;
};

const HealthClientConstructor = makeClientConstructor(healthService, 'grpc.health.v1.Health');

export interface HealthClient {
  /** One Check with a 3 s deadline: the status name (`SERVING`, …), or the call's error. */
  check(service: string): Promise<string>;
  watch(service: string): ClientReadableStream<HealthStatus>;
  close(): void;
}

/** A standard grpc.health.v1 client, as Kubernetes probes and grpc_health_probe use. */
export function createHealthClient(
  address: string,
  channelCredentials: ChannelCredentials = credentials.createInsecure(),
): HealthClient {
  const client = new HealthClientConstructor(address, channelCredentials) as unknown as RawHealthClient;
  return {
    check: (service) =>
      new Promise<string>((resolve, reject) =>
        client.check({ service }, { deadline: Date.now() + 3000 }, (error, response) =>
          error ? reject(error) : resolve(response.status),
        ),
      ),
    watch: (service) => client.watch({ service }),
    close: () => client.close(),
  };
}

/** Watches one health service name, recording every status it reports. */
export function watchHealth(address: string, service: string) {
  const client = createHealthClient(address);
  const statuses: string[] = [];
  const call = client.watch(service);
  call.on('data', (message: HealthStatus) => statuses.push(message.status));
  call.on('error', () => undefined);
  return {
    statuses,
    /** Resolves when `status` has been reported. */
    until: (status: string) =>
      new Promise<void>((resolve) => {
        if (statuses.includes(status)) return resolve();
        call.on('data', (message: HealthStatus) => message.status === status && resolve());
      }),
    close: () => {
      call.cancel();
      client.close();
    },
  };
}
