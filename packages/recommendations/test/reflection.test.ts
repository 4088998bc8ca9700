import { RECOMMENDATION_SERVICE_NAME } from '@bookstore/contracts';
import { credentials, loadPackageDefinition, status as Status, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { FileDescriptorProto } from 'ts-proto-descriptors';
import { join } from 'node:path';
import { startTestServer } from './support/test-server';

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

/** One request over the bidi ServerReflectionInfo stream, as grpcurl sends it. */
async function reflect(address: string, request: Record<string, unknown>): Promise<ReflectionResponse> {
  const definition = loadSync(REFLECTION_PROTO, { keepCase: false });
  const pkg = loadPackageDefinition(definition) as unknown as {
    grpc: {
      reflection: {
        v1: {
          ServerReflection: new (
            a: string,
            c: unknown,
          ) => { serverReflectionInfo(): NodeJS.EventEmitter & { write(m: object): void; end(): void }; close(): void };
        };
      };
    };
  };
  const client = new pkg.grpc.reflection.v1.ServerReflection(address, credentials.createInsecure());
  try {
    return await new Promise((resolve, reject) => {
      const call = client.serverReflectionInfo();
      call.on('data', (response: ReflectionResponse) => {
        resolve(response);
        call.end();
      });
      call.on('error', reject);
      call.write(request);
    });
  } finally {
    client.close();
  }
}

describe('server reflection', () => {
  it('lists the bookstore, health and reflection services', async () => {
    const server = await startTestServer();
    try {
      const response = await reflect(server.address, { listServices: '' });
      const names = response.listServicesResponse?.service.map((s) => s.name) ?? [];
      expect(names).toEqual(expect.arrayContaining([RECOMMENDATION_SERVICE_NAME, 'grpc.health.v1.Health']));
    } finally {
      await server.close();
    }
  });

  it('serves the file that defines a symbol, with its methods and comments', async () => {
    const server = await startTestServer();
    try {
      const response = await reflect(server.address, {
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
    } finally {
      await server.close();
    }
  });

  it('serves each file with its imports, as buf build wrote them (buf curl resolves Timestamp)', async () => {
    const server = await startTestServer();
    try {
      const response = await reflect(server.address, { fileContainingSymbol: RECOMMENDATION_SERVICE_NAME });
      const files = (response.fileDescriptorResponse?.fileDescriptorProto ?? []).map((bytes) =>
        FileDescriptorProto.decode(bytes),
      );
      const contract = files.find((f) => f.name === 'bookstore/recommendations/v1/recommendations.proto');
      expect(contract?.dependency).toEqual(['google/protobuf/timestamp.proto']);
      const timestamp = files.find((f) => f.name === 'google/protobuf/timestamp.proto');
      expect(timestamp?.messageType.map((m) => m.name)).toEqual(['Timestamp']);
    } finally {
      await server.close();
    }
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
});
