import { HealthClient } from '@bookstore/contracts';
import type { Connection } from './connection';

/** The standard grpc.health.v1.Health client (the contract's), on the CLI's connection. */
export function createHealthClient(connection: Connection): HealthClient {
  return new HealthClient(connection.target, connection.credentials, connection.channelOptions);
}
