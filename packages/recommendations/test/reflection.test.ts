import { RECOMMENDATION_SERVICE_NAME } from '@bookstore/contracts';
import { credentials, loadPackageDefinition, status as Status, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { FileDescriptorProto } from 'ts-proto-descriptors';
import { join } from 'node:path';
import { startTestServer } from './support/test-server';
import { withTestServer } from './support/with-test-server';

const REFLECTION_PROTO = join(
  require.resolve('@grpc/reflection/package.json'),
  '..',
  'build',
  'proto',
  'grpc',
  'reflection',
  'v1',
  'reflection.proto',
);

type ReflectionResponse = {
  listServicesResponse?: { service: { name: string }[] };
  fileDescriptorResponse?: { fileDescriptorProto: Buffer[] };
  errorResponse?: { errorCode: number };
};

type ReflectionCall = NodeJS.EventEmitter & { write(m: object): void; end(): void; cancel(): void };

/** A v1 reflection client of `address`. */
function reflectionClient(address: string): { serverReflectionInfo(): ReflectionCall; close(): void } {
  const definition = loadSync(REFLECTION_PROTO, { keepCase: false });
  const pkg = loadPackageDefinition(definition) as unknown as {
    grpc: {
      reflection: {
        v1: {
          ServerReflection: new (a: string, c: unknown) => { serverReflectionInfo(): ReflectionCall; close(): void };
        };
      };
    };
  };
  return new pkg.grpc.reflection.v1.ServerReflection(address, credentials.createInsecure());
}

/** Sends `request` on an open stream; resolves with the answer, rejects with the call's error. */
function ask(call: ReflectionCall, request: Record<string, unknown>): Promise<ReflectionResponse> {
  return new Promise((resolve, reject) => {
    call.once('data', resolve);
    call.once('error', reject);
    call.write(request);
  });
}

/** One request over the bidi ServerReflectionInfo stream, as grpcurl sends it. */
async function reflect(address: string, request: Record<string, unknown>): Promise<ReflectionResponse> {
  const client = reflectionClient(address);
  try {
    const call = client.serverReflectionInfo();
    const response = await ask(call, request);
    call.end();
    return response;
  } finally {
    client.close();
  }
}

describe('server reflection', () => {
  // Reads only: one server, as configured by default, for the tests that need nothing else.
  const t = withTestServer();

  it('lists the bookstore, health and reflection services', async () => {
    const response = await reflect(t.server.address, { listServices: '' });
    const names = response.listServicesResponse?.service.map((s) => s.name) ?? [];
    expect(names).toEqual(expect.arrayContaining([RECOMMENDATION_SERVICE_NAME, 'grpc.health.v1.Health']));
  });

  it('serves the file that defines a symbol, with its methods and comments', async () => {
    const response = await reflect(t.server.address, {
      fileContainingSymbol: RECOMMENDATION_SERVICE_NAME,
    });
    const files = (response.fileDescriptorResponse?.fileDescriptorProto ?? []).map((bytes) =>
      FileDescriptorProto.decode(bytes),
    );
    const file = files.find((f) => f.name === 'bookstore/recommendations/v1/recommendations.proto');
    expect(file?.service[0]?.method.map((m) => m.name)).toEqual([
      'Recommend',
      'ListBooks',
      'GetBook',
      'RecordEvents',
      'ImportEvents',
    ]);
    expect(file?.messageType.map((m) => m.name)).toContain('RecommendRequest');
  });

  it('serves each file with its imports, as buf build wrote them (buf curl resolves Timestamp)', async () => {
    const response = await reflect(t.server.address, { fileContainingSymbol: RECOMMENDATION_SERVICE_NAME });
    const files = (response.fileDescriptorResponse?.fileDescriptorProto ?? []).map((bytes) =>
      FileDescriptorProto.decode(bytes),
    );
    const contract = files.find((f) => f.name === 'bookstore/recommendations/v1/recommendations.proto');
    expect(contract?.dependency).toEqual(['google/protobuf/timestamp.proto']);
    const timestamp = files.find((f) => f.name === 'google/protobuf/timestamp.proto');
    expect(timestamp?.messageType.map((m) => m.name)).toEqual(['Timestamp']);
  });

  it('is off with ENABLE_REFLECTION=false', async () => {
    const server = await startTestServer({ env: { ENABLE_REFLECTION: 'false' } });
    try {
      const error = await reflect(server.address, { listServices: '' }).catch((e: ServiceError) => e);
      expect((error as ServiceError).code).toBe(Status.UNIMPLEMENTED);
    } finally {
      await server.close();
    }
  });

  it('holds at most MAX_REFLECTION_STREAMS streams open; further ones RESOURCE_EXHAUSTED, a closed one frees its place', async () => {
    const server = await startTestServer({ env: { MAX_REFLECTION_STREAMS: '2' } });
    const client = reflectionClient(server.address);
    try {
      const held = [client.serverReflectionInfo(), client.serverReflectionInfo()];
      for (const call of held) {
        call.on('error', () => undefined);
        expect((await ask(call, { listServices: '' })).listServicesResponse).toBeDefined();
      }
      const refused = await ask(client.serverReflectionInfo(), { listServices: '' }).catch((e: ServiceError) => e);
      expect((refused as ServiceError).code).toBe(Status.RESOURCE_EXHAUSTED);
      const ended = new Promise((resolve) => held[0]!.on('status', resolve));
      held[0]!.end();
      await ended;
      const next = client.serverReflectionInfo();
      expect((await ask(next, { listServices: '' })).listServicesResponse).toBeDefined();
      next.end();
      held[1]!.cancel();
    } finally {
      client.close();
      await server.close();
    }
  });
});
