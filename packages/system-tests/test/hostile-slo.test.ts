import { RECOMMENDATION_SERVICE_NAME } from '@bookstore/contracts';
import { writeDevCertificates } from '@bookstore/dev-certificates';
import { fetchMetricsText, sampleValue } from '@bookstore/test-support';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type IncomingHttpHeaders } from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { imageEnv } from './support/hostile';
import { startService, type ServiceProcess } from './support/processes';

const RECOMMEND = `/${RECOMMENDATION_SERVICE_NAME}/Recommend`;
/** The codes the recommend-availability SLO counts as failures (monitoring/rules/slo-recommend-availability.yaml). */
const BAD_CODES = ['Unknown', 'Internal', 'Unavailable', 'DataLoss', 'DeadlineExceeded', 'Unimplemented'];
/** A well-formed RecommendRequest: user 1, MYSTERY, 3 results. */
const RECOMMEND_REQUEST = Buffer.from([0x08, 0x01, 0x10, 0x01, 0x18, 0x03]);
const ROUNDS = 5;

jest.setTimeout(30_000);

/**
 * One Recommend over bare HTTP/2 (no client library to refuse what it sends) to `url`
 * (`https://…` for the TLS port): `body` as the request, `headers` added. Resolves with the
 * grpc-status the server wrote.
 */
async function rawCall(url: string, body: Buffer, headers: Record<string, string> = {}): Promise<string> {
  // An attacker checks no certificate.
  const session = connect(url, { rejectUnauthorized: false });
  session.on('error', () => undefined);
  try {
    const stream = session.request({
      ':method': 'POST',
      ':path': RECOMMEND,
      'content-type': 'application/grpc',
      te: 'trailers',
      ...headers,
    });
    stream.on('error', () => undefined);
    stream.resume();
    // The message a moment after the headers, as it may come in its own packet: a deadline of
    // 1 ns then passes before the handler could run.
    setTimeout(() => stream.end(body), 20);
    return await new Promise((resolve) => {
      let status = 'none';
      const take = (h: IncomingHttpHeaders) => (status = String(h['grpc-status'] ?? status));
      stream.on('response', take).on('trailers', take);
      stream.on('close', () => resolve(status));
    });
  } finally {
    session.close();
  }
}

/** A gRPC frame of `message`, or one whose length prefix promises more than it carries (malformed). */
function frame(message: Buffer): Buffer {
  const bytes = Buffer.alloc(5 + message.length);
  bytes.writeUInt32BE(message.length, 1);
  message.copy(bytes, 5);
  return bytes;
}

/**
 * What the recommend-availability SLO counts as failed Recommend calls, from the metrics as the
 * rules read them: handled with a bad code, less those rejected before a handler ran.
 */
function sloFailures(metrics: string): number {
  const labels = { grpc_type: 'unary', grpc_service: RECOMMENDATION_SERVICE_NAME, grpc_method: 'Recommend' };
  let failures = 0;
  for (const grpc_code of BAD_CODES) {
    failures += sampleValue(metrics, 'grpc_server_handled_total', { ...labels, grpc_code }) ?? 0;
    failures -= sampleValue(metrics, 'grpc_server_rejected_total', { ...labels, grpc_code }) ?? 0;
  }
  return failures;
}

/**
 * Calls that fail before any handler runs, for what the client sent: the SLOs count what the
 * service did for well-formed calls, so a few such calls a second must not page anyone.
 */
describe('recommendations: calls rejected before a handler runs spend no error budget, as shipped (issue 25)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bookstore-slo-'));
  let service: ServiceProcess;

  beforeAll(async () => {
    await writeDevCertificates(dir);
    // TLS on, so the plaintext health port exists to send a Recommend to.
    service = await startService('recommendations', {
      ...imageEnv('recommendations'),
      TLS_CERT_FILE: join(dir, 'recommendations', 'tls.crt'),
      TLS_KEY_FILE: join(dir, 'recommendations', 'tls.key'),
    });
  });
  afterAll(async () => {
    await service.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`${ROUNDS} × (grpc-timeout 1n, a malformed message, a Recommend on the health port): no SLO failure`, async () => {
    const tlsPort = `https://127.0.0.1:${service.port}`;
    const healthPort = `http://127.0.0.1:${service.ready.healthPort as number}`;
    const codes = { expired: new Set<string>(), malformed: new Set<string>(), healthPort: new Set<string>() };
    for (let i = 0; i < ROUNDS; i += 1) {
      codes.expired.add(await rawCall(tlsPort, frame(RECOMMEND_REQUEST), { 'grpc-timeout': '1n' }));
      // Field 1 as a varint whose continuation bit promises a byte that never comes.
      codes.malformed.add(await rawCall(tlsPort, frame(Buffer.from([0x08, 0x81]))));
      codes.healthPort.add(await rawCall(healthPort, frame(RECOMMEND_REQUEST)));
    }
    // Each got the answer it should: DEADLINE_EXCEEDED, INTERNAL, UNIMPLEMENTED.
    expect(codes).toEqual({ expired: new Set(['4']), malformed: new Set(['13']), healthPort: new Set(['12']) });
    // And a well-formed call is still served.
    expect(await rawCall(tlsPort, frame(RECOMMEND_REQUEST))).toBe('0');
    const metrics = await fetchMetricsText(service.ready.metricsPort as number);
    process.stdout.write(`slo failures: ${sloFailures(metrics)}\n`);
    expect(sloFailures(metrics)).toBe(0);
  });
});
