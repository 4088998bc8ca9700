import type { HealthCheckResponse } from '@bookstore/contracts';
import { status as Status, type ServiceError } from '@grpc/grpc-js';
import type { Connection } from '../connection';
import { EXIT_CODES } from '../exit-codes';
import { createHealthClient } from '../health-client';
import type { Output } from '../output';
import { serviceLabel } from './health';

/**
 * `bookstore watch-health`: prints the status now and every change after it, one line each
 * (`--json`: one object per line), until Ctrl+C (exit 0) or the stream fails (its status' code).
 * No deadline unless --deadline is given: a watch is meant to stay open.
 */
export function watchHealthCommand(connection: Connection, output: Output, query: { service: string }) {
  const client = createHealthClient(connection);
  const deadline =
    connection.deadlineMs === undefined ? {} : { deadline: new Date(Date.now() + connection.deadlineMs) };
  const call = client.watch({ service: query.service }, deadline);
  let stoppedByUser = false;
  const stop = () => {
    stoppedByUser = true;
    call.cancel();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  call.on('data', ({ status }: HealthCheckResponse) => {
    const time = new Date().toISOString();
    output.out(
      output.json
        ? JSON.stringify({ time, service: query.service, status })
        : `${time}  ${serviceLabel(query.service)}  ${status}`,
    );
  });
  return new Promise<number>((resolve, reject) => {
    let settled = false;
    const finish = (result: () => void) => {
      if (settled) return;
      settled = true;
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      client.close();
      result();
    };
    call.on('error', (error: ServiceError) =>
      finish(() => (stoppedByUser && error.code === Status.CANCELLED ? resolve(EXIT_CODES.ok) : reject(error))),
    );
    call.on('end', () => finish(() => resolve(EXIT_CODES.ok)));
  });
}
