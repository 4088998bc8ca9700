import { type Client, credentials, makeClientConstructor } from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';

type Watch = NodeJS.EventEmitter & { cancel(): void };
type HealthClient = Client & { watch(request: { service: string }): Watch };

const HealthClientConstructor = makeClientConstructor(healthService, 'grpc.health.v1.Health');

/** Watches one health service name, recording every status it reports. */
export function watchHealth(address: string, service: string) {
  const client = new HealthClientConstructor(address, credentials.createInsecure()) as unknown as HealthClient;
  const statuses: string[] = [];
  const call = client.watch({ service });
  call.on('data', (message: { status: string }) => statuses.push(message.status));
  call.on('error', () => undefined);
  return {
    statuses,
    /** Resolves when `status` has been reported. */
    until: (status: string) =>
      new Promise<void>((resolve) => {
        if (statuses.includes(status)) return resolve();
        call.on('data', (message: { status: string }) => message.status === status && resolve());
      }),
    close: () => {
      call.cancel();
      client.close();
    },
  };
}
