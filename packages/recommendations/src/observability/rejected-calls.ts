import { status as Status } from '@grpc/grpc-js';
import type { IncomingHttpHeaders } from 'node:http2';

/**
 * The recommend-latency SLO's threshold (docs/slos.md): a deadline shorter than this asks for
 * more than the service promises, so one that passed before a handler ran is the caller's doing.
 * A longer one that passed while the call waited for a busy process is a failure we own.
 */
const SHORTEST_FAIR_DEADLINE_MS = 50;

const UNIT_MS: Record<string, number> = { H: 3_600_000, M: 60_000, S: 1000, m: 1, u: 1e-3, n: 1e-6 };

/** A `grpc-timeout` header (`1n`, `300m`, …) in milliseconds; undefined when absent or malformed. */
export function timeoutMs(header: string | string[] | undefined): number | undefined {
  const match = typeof header === 'string' ? /^(\d{1,8})([HMSmun])$/.exec(header) : null;
  return match ? Number(match[1]) * (UNIT_MS[match[2] as string] as number) : undefined;
}

/**
 * Whether a call that grpc-js ended with `code` before any handler ran was refused for what the
 * client sent, not for anything the service did: an unparseable message or a malformed
 * `grpc-timeout` (INTERNAL), a message over the size limit (RESOURCE_EXHAUSTED), a deadline under
 * SHORTEST_FAIR_DEADLINE_MS that passed first (DEADLINE_EXCEEDED; `grpc-timeout: 1n` always does).
 */
export function refusedForWhatTheClientSent(code: Status, headers: IncomingHttpHeaders): boolean {
  if (code === Status.INTERNAL || code === Status.RESOURCE_EXHAUSTED) return true;
  if (code !== Status.DEADLINE_EXCEEDED) return false;
  const timeout = timeoutMs(headers['grpc-timeout']);
  return timeout !== undefined && timeout < SHORTEST_FAIR_DEADLINE_MS;
}
