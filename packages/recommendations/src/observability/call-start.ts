import type { Metadata } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { callerOf } from '../grpc/caller-identity';
import type { AnswerMetadata } from '../interceptors/catalog-version';
import { streamOf } from '../grpc/grpc-internals';
import { type CallObserver, type CallRecord, recordOf } from './call-observer';

export interface ObserveOptions {
  readonly observer: CallObserver;
  readonly identifyCallers: boolean;
  readonly logger: Logger;
  /** Metadata some methods' answers carry (the catalog version), in their headers and trailers. */
  readonly answer?: AnswerMetadata;
}

/** A grpc-js call, as a handler or an interceptor has it. */
export type ObservedCall = Parameters<typeof callerOf>[0];

/**
 * The call's record, now or, when the call started inside grpc-js' own 'stream' listener (calls
 * with a request stream, interceptors), on the next tick: the observer's listener runs after it.
 */
export function withRecord(call: ObservedCall, use: (record: CallRecord) => void): void {
  const record = recordOf(streamOf(call));
  if (record !== undefined) use(record);
  else
    process.nextTick(() => {
      const later = recordOf(streamOf(call));
      if (later !== undefined) use(later);
    });
}

/**
 * What is noted when a handler starts: on the call's record, its request id (which also marks
 * the call as one a handler saw, rejected-calls.ts), the caller and, at debug, the metadata.
 */
export function noteHandlerStarted(
  call: ObservedCall,
  metadata: Metadata,
  requestId: string,
  options: ObserveOptions,
): void {
  withRecord(call, (record) => {
    record.requestId = requestId;
    if (options.identifyCallers) record.caller = callerOf(call);
    if (options.logger.isLevelEnabled('debug')) record.metadata = metadata.getMap();
  });
}
