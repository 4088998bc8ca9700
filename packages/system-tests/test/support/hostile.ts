import { BookCategory, type RecommendationServiceClient } from '@bookstore/contracts';
import { Metadata } from '@grpc/grpc-js';
import { readdirSync, readFileSync } from 'node:fs';
import { rssMb } from '@bookstore/test-support';
import { get } from 'node:http';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parse } from 'node-html-parser';

/**
 * The environment the service's image sets (the `ENV` lines of its Dockerfile), so the process
 * runs as shipped, not as a bare `node dist/main.js`.
 */
export function imageEnv(service: 'recommendations' | 'marketplace'): Record<string, string> {
  const dockerfile = readFileSync(join(__dirname, '..', '..', '..', '..', `Dockerfile.${service}`), 'utf8');
  const env: Record<string, string> = {};
  for (const line of dockerfile.split('\n').filter((l) => l.startsWith('ENV '))) {
    // KEY=value or KEY="value with spaces"; a value may hold '=' (NODE_OPTIONS="--a=1 --b=2").
    for (const [, key, quoted, bare] of line.slice(4).matchAll(/(\w+)=(?:"([^"]*)"|(\S+))/g)) {
      if (key !== undefined) env[key] = quoted ?? bare ?? '';
    }
  }
  if (env.NODE_ENV === undefined) throw new Error(`no ENV NODE_ENV in Dockerfile.${service}`);
  return env;
}

/** Open file descriptors of a process (sockets, files, pipes). */
export const openFds = (pid: number) => readdirSync(`/proc/${pid}/fd`).length;

/** Samples RSS every 50 ms until stopped; `peak()` is the highest value seen. */
export function watchRss(pid: number) {
  let peak = rssMb(pid);
  const timer = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 50);
  return {
    peak: () => Math.max(peak, rssMb(pid)),
    stop: () => clearInterval(timer),
  };
}

/**
 * Connections on `port` that the kernel has completed and the listening process has not accepted
 * yet: the listen socket's accept queue (`rx_queue` of its LISTEN row in /proc/net/tcp{,6}).
 */
export function acceptQueue(port: number): number {
  let queued = 0;
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
    } catch {
      continue; // no IPv6 in this kernel
    }
    for (const line of text.split('\n').slice(1)) {
      // sl local_address rem_address st tx_queue:rx_queue ...
      const [, local, , state, queues] = line.trim().split(/\s+/);
      if (state !== '0A' || local === undefined || queues === undefined) continue;
      if (Number.parseInt(local.slice(local.lastIndexOf(':') + 1), 16) !== port) continue;
      queued += Number.parseInt(queues.slice(queues.indexOf(':') + 1), 16);
    }
  }
  return queued;
}

/**
 * Opens `count` TCP connections to 127.0.0.1:port (errors swallowed: the server may refuse them).
 * They read and discard what the server sends, so a close by the server is seen; pause one to
 * play a client that does not read.
 *
 * A hundred at a time: each hundred has connected and the listener's accept queue has drained
 * before the next (within 5 s, or it throws). A client can open connections faster than a loaded server accepts
 * them; once the queue (511) is full, the kernel answers with SYN cookies and drops the
 * handshake's last ACK, so the client's socket is connected while the server never hears of it
 * (`Possible SYN flooding` in the kernel log). Such a flood never reaches the server's connection
 * cap, and a test of the cap measures nothing (CI, 2026-12-03: 1,500 "open" sockets, no refusal).
 */
export async function openConnections(port: number, count: number): Promise<Socket[]> {
  const sockets: Socket[] = [];
  while (sockets.length < count) {
    const batch: Socket[] = [];
    for (let i = 0; i < Math.min(100, count - sockets.length); i += 1) {
      const socket = connect({ host: '127.0.0.1', port });
      socket.on('error', () => undefined);
      socket.resume();
      batch.push(socket);
    }
    await Promise.all(
      batch.map(
        (s) =>
          new Promise<void>((resolve) =>
            s.connecting ? s.once('connect', resolve).once('close', () => resolve()) : resolve(),
          ),
      ),
    );
    sockets.push(...batch);
    const until = Date.now() + 5000;
    while (acceptQueue(port) > 0) {
      if (Date.now() > until) {
        resetAll(sockets);
        throw new Error(
          `port ${port}: connections still waiting to be accepted after 5 s; the flood would not be the one intended`,
        );
      }
      await sleep(10);
    }
  }
  return sockets;
}

/** Resets every socket (RST, not FIN), as an attacker that vanishes would. */
export function resetAll(sockets: readonly Socket[]): void {
  for (const socket of sockets) if (!socket.destroyed) socket.resetAndDestroy();
}

/** How many of the sockets the server has closed. */
export const closedCount = (sockets: readonly Socket[]) =>
  sockets.filter((s) => s.destroyed || s.readyState === 'closed').length;

/** GET on a new connection of its own (no pooled keep-alive socket), within `ms`. */
function freshGet(url: string, ms: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = get(url, { agent: false, timeout: ms }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`no answer within ${ms} ms`)));
    request.on('error', reject);
  });
}

/**
 * What a new user needs from the marketplace, each on a new connection: `/healthz` within 1 s
 * and a whole page (its 3 books) within 2 s. Resolves with what went wrong, or '' when served.
 */
export async function normalClientProblem(port: number): Promise<string> {
  try {
    const health = await freshGet(`http://127.0.0.1:${port}/healthz`, 1000);
    if (health.status !== 200) return `/healthz answered ${health.status}`;
    const page = await freshGet(`http://127.0.0.1:${port}/?category=mystery`, 2000);
    const books = parse(page.body).querySelectorAll('main li.book').length;
    return page.status === 200 && books === 3 ? '' : `page ${page.status} with ${books} books`;
  } catch (error) {
    return `failed: ${(error as Error).message}`;
  }
}

/** Polls until `check` returns true or `ms` pass; returns the last result. */
export async function eventually(check: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return true;
    await sleep(200);
  }
  return check();
}

/**
 * A normal client's deadline for one Recommend. The marketplace gives it 300 ms, but a loaded
 * 2-core test host can take that long to schedule a healthy answer; a quiet call on loopback
 * takes a few ms, and what the attacks break (a starved loop, a full connection cap, memory
 * exhausted) leaves calls unanswered for seconds, so 1 s still tells served from not served.
 */
const NORMAL_CLIENT_DEADLINE_MS = 1000;

/**
 * What is wrong with one Recommend call on `user`'s long-lived channel within
 * NORMAL_CLIENT_DEADLINE_MS ('' when it answered 3 books): the "a normal client is served" check.
 */
export function recommendProblem(user: RecommendationServiceClient): Promise<string> {
  return new Promise((resolve) =>
    user.recommend(
      { userId: 1, category: BookCategory.BOOK_CATEGORY_MYSTERY, maxResults: 3 },
      new Metadata(),
      { deadline: Date.now() + NORMAL_CLIENT_DEADLINE_MS },
      (error, response) =>
        resolve(error ? `Recommend: ${error.message}` : response.recommendations.length === 3 ? '' : 'wrong answer'),
    ),
  );
}
