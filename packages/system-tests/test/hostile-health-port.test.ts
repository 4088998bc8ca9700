import { writeDevCertificates } from '@bookstore/dev-certificates';
import { eventually } from '@bookstore/test-support';
import { Client, credentials, Metadata, status as Status, type ServiceError } from '@grpc/grpc-js';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, constants } from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { imageEnv } from './support/hostile';
import { startService, type ServiceProcess } from './support/processes';

const WATCH = '/grpc.health.v1.Health/Watch';
const identity = (bytes: Buffer) => bytes;

jest.setTimeout(60_000);

/** A HealthCheckRequest for `name` (field 1, length-delimited), encoded by hand. */
function healthRequest(name: string): Buffer {
  const bytes = Buffer.from(name, 'latin1');
  const length: number[] = [];
  for (let n = bytes.length; ; n >>>= 7) {
    if (n < 0x80) {
      length.push(n);
      break;
    }
    length.push((n & 0x7f) | 0x80);
  }
  return Buffer.concat([Buffer.from([0x0a, ...length]), bytes]);
}

/** The same request as one gRPC frame, for bare HTTP/2 streams. */
function grpcFrame(message: Buffer): Buffer {
  const frame = Buffer.alloc(5 + message.length);
  frame.writeUInt32BE(message.length, 1);
  message.copy(frame, 5);
  return frame;
}

/**
 * The plaintext health port that TLS mode adds (Kubernetes' gRPC probes cannot speak TLS) is
 * reachable by anything that reaches the pod, as the TLS port is: it gets the same limits.
 * MAX_CONNECTION_AGE_MS and MAX_CONNECTIONS are lowered so the test sees them act in seconds.
 */
describe('recommendations: the plaintext health port of TLS mode, as shipped (issue 25)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bookstore-health-port-'));
  let service: ServiceProcess;
  let address: string;

  beforeAll(async () => {
    await writeDevCertificates(dir);
    service = await startService('recommendations', {
      ...imageEnv('recommendations'),
      TLS_CERT_FILE: join(dir, 'recommendations', 'tls.crt'),
      TLS_KEY_FILE: join(dir, 'recommendations', 'tls.key'),
      MAX_CONNECTION_AGE_MS: '1000',
      MAX_CONNECTION_AGE_GRACE_MS: '1000',
      MAX_CONNECTIONS: '20',
    });
    address = `127.0.0.1:${service.ready.healthPort as number}`;
  });
  afterAll(async () => {
    await service.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a request over MAX_RECEIVE_MESSAGE_BYTES (64 KiB), not the 4 MiB of grpc-js defaults', async () => {
    const client = new Client(address, credentials.createInsecure());
    try {
      const code = await new Promise<Status>((resolve) => {
        const call = client.makeServerStreamRequest(
          WATCH,
          identity,
          identity,
          healthRequest('x'.repeat(1024 * 1024)),
          new Metadata(),
          { deadline: Date.now() + 5000 },
        );
        call.on('data', () => {
          call.cancel();
          resolve(Status.OK); // answered (SERVICE_UNKNOWN): the megabyte was read and held
        });
        call.on('error', (error: ServiceError) => resolve(error.code));
      });
      expect(code).toBe(Status.RESOURCE_EXHAUSTED);
    } finally {
      client.close();
    }
  });

  it('refuses streams past MAX_CONCURRENT_STREAMS (16) on one connection', async () => {
    const session = connect(`http://${address}`);
    session.on('error', () => undefined);
    try {
      const outcomes = await Promise.all(
        Array.from({ length: 40 }, () => {
          const stream = session.request({
            ':method': 'POST',
            ':path': WATCH,
            'content-type': 'application/grpc',
            te: 'trailers',
          });
          stream.on('error', () => undefined);
          stream.resume();
          stream.end(grpcFrame(healthRequest('liveness')));
          return new Promise<string>((resolve) => {
            stream.once('response', () => resolve('open'));
            stream.once('close', () =>
              resolve(stream.rstCode === constants.NGHTTP2_REFUSED_STREAM ? 'refused' : 'closed'),
            );
          });
        }),
      );
      expect(outcomes.filter((o) => o === 'open')).toHaveLength(16);
      expect(outcomes.filter((o) => o === 'refused')).toHaveLength(24);
    } finally {
      session.destroy();
    }
  });

  it('closes a connection past MAX_CONNECTION_AGE_MS, with GOAWAY', async () => {
    const session = connect(`http://${address}`);
    session.on('error', () => undefined);
    try {
      await once(session, 'remoteSettings');
      // Age 1 s (grpc-js adds up to 10 % jitter), grace 1 s; 8 s leaves a loaded machine room.
      const goaway = await once(session, 'goaway', { signal: AbortSignal.timeout(8000) }).then(
        () => true,
        () => false,
      );
      expect(goaway).toBe(true);
    } finally {
      session.destroy();
    }
  });

  // This one held before too (capConnections covered the health port); kept so it stays so.
  it('holds at most MAX_CONNECTIONS connections', async () => {
    const sessions = Array.from({ length: 40 }, () => {
      const session = connect(`http://${address}`);
      session.on('error', () => undefined);
      return session;
    });
    try {
      await Promise.all(
        sessions.map((s) => new Promise((resolve) => s.once('remoteSettings', resolve).once('close', resolve))),
      );
      // Until the server's closes reach the client (at most 5 s).
      const open = () => sessions.filter((s) => !s.closed && !s.destroyed).length;
      expect(await eventually(() => open() <= 20, 5000)).toBe(true);
    } finally {
      for (const session of sessions) session.destroy();
    }
  });
});
