import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { accessSync, constants, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { freePort } from './ports';

/** A redis-server of its own for one test file; nothing is persisted. */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /** SIGTERM, waits for the exit, removes its directory. Safe to call more than once. */
  stop(): Promise<void>;
  /** SIGKILL (a crash), waits for the exit; `restart()` brings it back on the same port. */
  kill(): Promise<void>;
  /**
   * Stops it if it runs (SIGTERM) and starts it again on the same port, answering PING. Its data
   * does not survive (no RDB, no AOF): clients see an empty server, as after a Valkey restart
   * without persistence or a FLUSHALL.
   */
  restart(): Promise<void>;
}

/** Debian's redis-server (`make system-deps` installs it), else the first one on PATH. */
function findRedisServer(): string {
  const candidates = [
    '/usr/bin/redis-server',
    ...(process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'redis-server')),
  ];
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not this one
    }
  }
  throw new Error(
    'redis-server not found (looked for /usr/bin/redis-server and on PATH): run `make system-deps` (the Debian package redis-server)',
  );
}

/** Resolves once the server answers PING with +PONG; rejects after `timeoutMs`. */
async function waitForPong(port: number, child: ChildProcess, output: () => string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `redis-server exited (${child.exitCode ?? child.signalCode}) before answering PING:\n${output()}`,
      );
    }
    if (await pingOnce(port)) return;
    if (Date.now() > deadline)
      throw new Error(`redis-server on port ${port} did not answer PING within ${timeoutMs} ms:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function pingOnce(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      // While loading, a server answers -LOADING; only +PONG means ready.
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

/** Children still running when the test process exits are killed with it (an afterAll may not run). */
const running = new Set<ChildProcess>();
let exitHookInstalled = false;
function track(child: ChildProcess): void {
  running.add(child);
  child.once('exit', () => running.delete(child));
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once('exit', () => {
      for (const server of running) server.kill('SIGKILL');
    });
  }
}

async function ended(child: ChildProcess | undefined, signal: NodeJS.Signals): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exit = once(child, 'exit');
  child.kill(signal);
  // A SIGTERM'd server that hangs is killed after 5 s, so stop() always ends.
  const timer = signal === 'SIGKILL' ? undefined : setTimeout(() => child.kill('SIGKILL'), 5000);
  try {
    await exit;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Starts a redis-server on a free loopback port, with no persistence and its working directory
 * in a fresh temporary directory, and resolves once it answers PING. Throws (never skips) when
 * redis-server is not installed.
 */
export async function startRedis(): Promise<RedisServer> {
  const binary = findRedisServer();
  let dir = mkdtempSync(join(tmpdir(), 'bookstore-redis-'));
  let child: ChildProcess | undefined;
  let output = '';

  const spawnOn = async (port: number) => {
    output = '';
    const started = spawn(
      binary,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    track(started);
    // Only the last 8 KB, for the error message of a server that fails to start.
    const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-8192));
    started.stdout?.on('data', keep);
    started.stderr?.on('data', keep);
    child = started;
    try {
      await waitForPong(port, started, () => output);
    } catch (error) {
      await ended(started, 'SIGKILL');
      throw error;
    }
  };

  // The port was free a moment ago; another process may take it first, so a few tries.
  let port = 0;
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    try {
      await spawnOn(port);
      break;
    } catch (error) {
      if (attempt >= 3 || !output.includes('Address already in use')) {
        rmSync(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }

  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async stop() {
      await ended(child, 'SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
    async kill() {
      await ended(child, 'SIGKILL');
    },
    async restart() {
      await ended(child, 'SIGTERM');
      // After stop() its directory is gone: a new one.
      if (!existsSync(dir)) dir = mkdtempSync(join(tmpdir(), 'bookstore-redis-'));
      await spawnOn(port);
    },
  };
}
