import type { FastifyReply, FastifyRequest } from 'fastify';

/** How long each request waited behind the requests pipelined before it on its connection (ms). */
const queued = new WeakMap<FastifyRequest, number>();

/** Records that `request` waited `ms` for its turn on its connection (http/connection-guards.ts). */
export function recordQueueTime(request: FastifyRequest, ms: number): void {
  queued.set(request, ms);
}

/**
 * How long the service took over `request` (ms): fastify's `reply.elapsedTime` less the time the
 * request waited for the responses pipelined before it on its connection. That wait is the
 * client's choice (it sent them back to back), so the latency SLI and the access log leave it
 * out: otherwise one client pipelining slow pages could burn the homepage-latency budget.
 */
export function serviceTimeMs(request: FastifyRequest, reply: FastifyReply): number {
  return Math.max(0, reply.elapsedTime - (queued.get(request) ?? 0));
}
