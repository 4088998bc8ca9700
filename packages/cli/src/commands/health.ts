import type { HealthCheckResponse } from '@bookstore/contracts';
import { type Connection, deadlineOf } from '../connection';
import { EXIT_CODES } from '../exit-codes';
import { createHealthClient } from '../health-client';
import { formatTable, type Output } from '../output';
import { DEFAULT_DEADLINE_MS } from './recommend';

/** How a service name prints: the overall status has the empty name. */
export function serviceLabel(service: string): string {
  return service === '' ? '(overall)' : service;
}

/** `bookstore health`: one Check; exits 0 when SERVING, 3 otherwise. */
export async function healthCommand(connection: Connection, output: Output, query: { service: string }) {
  const client = createHealthClient(connection);
  try {
    const { status } = await new Promise<HealthCheckResponse>((resolve, reject) =>
      client.check(
        { service: query.service },
        { deadline: deadlineOf(connection, DEFAULT_DEADLINE_MS) },
        (error, response) =>
          error || response === undefined ? reject(error ?? new Error('no response')) : resolve(response),
      ),
    );
    output.out(
      output.json
        ? JSON.stringify({ service: query.service, status })
        : formatTable(['SERVICE', 'STATUS'], [[serviceLabel(query.service), status]]),
    );
    return status === 'SERVING' ? EXIT_CODES.ok : EXIT_CODES.notServing;
  } finally {
    client.close();
  }
}
