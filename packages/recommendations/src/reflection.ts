import { fileDescriptorSet } from '@bookstore/contracts';
import { loadFileDescriptorSetFromBuffer, loadSync } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { protoPath as healthProtoPath } from 'grpc-health-check';

/**
 * gRPC server reflection (v1 and v1alpha) for the bookstore contract and the health service,
 * so grpcurl or Postman can list and call them without the .proto files.
 */
export function createReflectionService(): ReflectionService {
  const bookstore = loadFileDescriptorSetFromBuffer(fileDescriptorSet());
  const health = loadSync(healthProtoPath);
  return new ReflectionService({ ...bookstore, ...health });
}
