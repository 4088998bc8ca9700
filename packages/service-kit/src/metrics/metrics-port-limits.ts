import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

/**
 * The bounds of the metrics port (house style "Bounded by default"). It is not published, but
 * anything that reaches the pod reaches it, and the kubelet's probes come here: Node's defaults
 * (no connection cap, 60 s for headers checked every 30 s) let 500 silent sockets sit for a minute.
 */
export const METRICS_PORT_LIMITS = {
  /**
   * Open connections at once. Its clients are the kubelet (a new connection per probe, a few a
   * minute), Prometheus (one or two) and the container healthcheck: 64 is ample. When full, the
   * oldest connection with no request being answered is closed to let a new one in (an
   * attacker's silent socket, not a probe being answered); with none, the new one is closed.
   */
  maxConnections: 64,
  /** The request line and headers: a probe or scraper sends them in one packet (slowloris). */
  headersTimeoutMs: 5_000,
  /** No route takes a body: the whole request is its headers, with a margin. */
  requestTimeoutMs: 10_000,
  /** Longer than Prometheus' 15 s scrape interval (k8s/monitoring), so its connection is reused. */
  keepAliveTimeoutMs: 20_000,
  /** How often Node checks the two timeouts above (its 30 s default would add up to 30 s to them). */
  timeoutCheckIntervalMs: 1_000,
} as const;

/** Node's server options for the timeouts. */
export const metricsServerOptions = {
  headersTimeout: METRICS_PORT_LIMITS.headersTimeoutMs,
  requestTimeout: METRICS_PORT_LIMITS.requestTimeoutMs,
  keepAliveTimeout: METRICS_PORT_LIMITS.keepAliveTimeoutMs,
  connectionsCheckingInterval: METRICS_PORT_LIMITS.timeoutCheckIntervalMs,
};

/** Caps `server` at `max` connections, making room by closing the oldest one not being answered. */
export function capConnections(server: Server, max: number): void {
  const open = new Set<Socket>(); // insertion order: oldest first
  const answering = new WeakSet<Socket>();
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const socket = request.socket;
    answering.add(socket);
    response.once('close', () => answering.delete(socket));
  });
  server.on('connection', (socket: Socket) => {
    if (open.size >= max) {
      const idle = [...open].find((s) => !answering.has(s));
      if (idle === undefined) {
        socket.destroy();
        return;
      }
      open.delete(idle);
      idle.destroy();
    }
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
}
