import { HealthClient as ContractHealthClient } from '@bookstore/contracts';
import { type ChannelCredentials, type ClientReadableStream, credentials } from '@grpc/grpc-js';

type HealthStatus = { status: string };

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
  const client = new ContractHealthClient(address, channelCredentials);
  return {
    check: (service) =>
      new Promise<string>((resolve, reject) =>
        client.check({ service }, { deadline: Date.now() + 3000 }, (error, response) =>
          error || response === undefined ? reject(error ?? new Error('no response')) : resolve(response.status),
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
