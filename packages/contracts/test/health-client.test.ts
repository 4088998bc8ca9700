import { credentials, Server, ServerCredentials, type ServiceError, status as Status } from '@grpc/grpc-js';
import { HealthImplementation, service as healthService } from 'grpc-health-check';
import { HealthCheckRequest, HealthCheckResponse, HealthClient, type ServingStatus } from '../src';

describe('the grpc.health.v1 messages', () => {
  it("read what grpc-health-check's own codecs write, and write what they read", () => {
    const check = healthService.Check!;
    for (const service of ['', 'readiness', 'bookstore.recommendations.v1.RecommendationService']) {
      expect(check.requestDeserialize(HealthCheckRequest.encode({ service }))).toEqual({ service });
      expect(HealthCheckRequest.decode(check.requestSerialize({ service }))).toEqual({ service });
    }
    for (const status of ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'] as ServingStatus[]) {
      expect(check.responseDeserialize(HealthCheckResponse.encode({ status }))).toEqual({ status });
      expect(HealthCheckResponse.decode(check.responseSerialize({ status }))).toEqual({ status });
    }
  });

  it('reads a status number it does not know as UNKNOWN', () => {
    expect(HealthCheckResponse.decode(Buffer.from([0x08, 0x09]))).toEqual({ status: 'UNKNOWN' });
  });
});

describe('HealthClient against a grpc-health-check server', () => {
  const health = new HealthImplementation({ '': 'SERVING', readiness: 'NOT_SERVING' });
  const server = new Server();
  let client: HealthClient;
  beforeAll(async () => {
    health.addToServer(server);
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      ),
    );
    client = new HealthClient(`127.0.0.1:${port}`, credentials.createInsecure());
  });
  afterAll(() => {
    client.close();
    // Not tryShutdown: a watch a failed test left open would hold it for ever.
    server.forceShutdown();
  });

  const check = (service: string) =>
    new Promise<HealthCheckResponse | undefined>((resolve, reject) =>
      client.check({ service }, { deadline: Date.now() + 10_000 }, (error, response) =>
        error ? reject(error) : resolve(response),
      ),
    );

  it('checks a name: its status, or NOT_FOUND for a name the server does not know', async () => {
    expect(await check('')).toEqual({ status: 'SERVING' });
    expect(await check('readiness')).toEqual({ status: 'NOT_SERVING' });
    await expect(check('nope')).rejects.toMatchObject({ code: Status.NOT_FOUND });
  });

  it('watches a name: the status now, then each change, until cancelled', async () => {
    const call = client.watch({ service: 'readiness' });
    // Listened for at once: an error with no listener would crash the run if the test failed.
    const ended = new Promise<ServiceError>((resolve) => call.on('error', resolve));
    const statuses: ServingStatus[] = [];
    const seen = (count: number) =>
      new Promise<void>((resolve) => {
        const onData = (message: HealthCheckResponse) => {
          statuses.push(message.status);
          if (statuses.length === count) {
            call.off('data', onData);
            resolve();
          }
        };
        call.on('data', onData);
      });
    await seen(1);
    const next = seen(2);
    health.setStatus('readiness', 'SERVING');
    await next;
    expect(statuses).toEqual(['NOT_SERVING', 'SERVING']);
    call.cancel();
    expect((await ended).code).toBe(Status.CANCELLED);
  });
});
