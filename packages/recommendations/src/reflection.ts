import { fileDescriptorSet } from '@bookstore/contracts';
import { loadFileDescriptorSetFromBuffer, loadSync } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { protoPath as healthProtoPath } from 'grpc-health-check';

/** Reads one base-128 varint of `bytes` at `offset`. */
function readVarint(bytes: Buffer, offset: number): { value: number; next: number } {
  let value = 0;
  for (let shift = 0, next = offset; next < bytes.length; shift += 7) {
    const byte = bytes[next++] ?? 0;
    value += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) return { value, next };
  }
  throw new Error('truncated varint in the embedded FileDescriptorSet');
}

/**
 * The FileDescriptorProtos of a FileDescriptorSet (`repeated FileDescriptorProto file = 1`), each
 * as the bytes `buf build` wrote. Served as they are: proto-loader's package definition rebuilds
 * them through protobufjs, which drops each file's `dependency` list, and a client then cannot
 * resolve google.protobuf.Timestamp (buf curl: "failed to find service … in schema").
 */
export function filesOf(set: Buffer): Buffer[] {
  const files: Buffer[] = [];
  let offset = 0;
  while (offset < set.length) {
    const tag = readVarint(set, offset);
    if (tag.value !== 0x0a) throw new Error(`unexpected tag ${tag.value} in the embedded FileDescriptorSet`);
    const length = readVarint(set, tag.next);
    files.push(set.subarray(length.next, length.next + length.value));
    offset = length.next + length.value;
  }
  return files;
}

/**
 * gRPC server reflection (v1 and v1alpha) for the bookstore contract and the health service,
 * so grpcurl, buf curl or Postman can list and call them without the .proto files.
 */
export function createReflectionService(): ReflectionService {
  const set = fileDescriptorSet();
  const files = filesOf(set);
  // ReflectionService indexes each entry's `fileDescriptorProtos` (deduplicated by file name).
  const bookstore = loadFileDescriptorSetFromBuffer(set);
  for (const definition of Object.values(bookstore)) {
    if ('format' in definition) definition.fileDescriptorProtos = files;
  }
  return new ReflectionService({ ...bookstore, ...loadSync(healthProtoPath) });
}
