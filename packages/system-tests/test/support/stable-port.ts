import { connect, createServer, type Socket } from 'node:net';

/** A loopback port the test holds for its whole run, forwarding to wherever the service is now. */
export interface StablePort {
  readonly port: number;
  /** Forwards new connections to `target` (a port on 127.0.0.1); `undefined`: closes them, as a port nobody listens on. */
  pointAt(target: number | undefined): void;
  close(): Promise<void>;
}

/**
 * Why: a test that stops a service and starts it again "on the same port" releases that port in
 * between, and any other process on the machine may bind it (EADDRINUSE). Clients that must keep
 * one address (a static gRPC target, Prometheus' scrape targets) are given this port instead; the
 * service restarts on a new free port and the forwarding follows it. Open connections are closed
 * when the target changes, as they would be when the process behind them exits.
 */
export async function createStablePort(
  target: number | undefined,
  options: {
    /** Each new connection reaches the target only after this: a slow network, or a busy node. */
    connectDelayMs?: number;
  } = {},
): Promise<StablePort> {
  let current = target;
  const open = new Set<Socket>();
  const forward = (client: Socket, port: number) => {
    if (client.destroyed) return;
    const upstream = connect({ host: '127.0.0.1', port });
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    open.add(upstream);
    upstream.once('close', () => open.delete(upstream));
    client.pipe(upstream).pipe(client);
  };
  const server = createServer((client) => {
    client.on('error', () => undefined);
    if (current === undefined) {
      client.destroy();
      return;
    }
    open.add(client);
    client.once('close', () => open.delete(client));
    const port = current;
    if (options.connectDelayMs === undefined) forward(client, port);
    else setTimeout(() => forward(client, port), options.connectDelayMs);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const resetAll = () => {
    for (const socket of open) socket.destroy();
  };
  return {
    port: (server.address() as { port: number }).port,
    pointAt(next) {
      current = next;
      resetAll();
    },
    close: () =>
      new Promise((resolve) => {
        resetAll();
        server.close(() => resolve());
      }),
  };
}
