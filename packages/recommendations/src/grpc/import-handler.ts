import type { ImportEventsRequest, ImportEventsResponse } from '@bookstore/contracts';
import { type handleClientStreamingCall, status as Status } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import type { EventImport } from '../domain/event-importer';
import type { ImportTokenCheck, TokenVerdict } from '../import/import-token';
import { mapError, toServiceError } from './status-mapping';

export interface ImportServices {
  readonly tokens: ImportTokenCheck;
  /** A fresh import for one call. */
  readonly startImport: () => EventImport;
  /** Imports open at once (config.maxImportStreams). */
  readonly maxOpen: number;
}

const REFUSALS: Record<Exclude<TokenVerdict, 'ok'>, { code: Status; details: string }> = {
  missing: {
    code: Status.UNAUTHENTICATED,
    details: 'ImportEvents is for operators: send the import token as "authorization: Bearer <token>"',
  },
  wrong: { code: Status.PERMISSION_DENIED, details: 'the import token is not valid' },
  'imports-off': {
    code: Status.PERMISSION_DENIED,
    details: 'imports are off on this server (no IMPORT_TOKEN_FILE)',
  },
};

/** Ends the handling of a cancelled import: nothing is answered. */
class CallCancelled extends Error {}

/**
 * ImportEvents (client streaming): the operator's token first (checked before any event is
 * read), then each event through the same checks and log as RecordEvents. Messages are read with
 * async iteration, so a batch being appended pauses reading and HTTP/2 flow control slows the
 * sender: memory stays one batch whatever the import's length. At most `maxOpen` imports run at
 * once (RESOURCE_EXHAUSTED past it): each holds a store connection's attention for minutes.
 */
export function createImportHandler(
  services: ImportServices,
  logger: Logger,
): handleClientStreamingCall<ImportEventsRequest, ImportEventsResponse> {
  let open = 0;
  return (call, callback) => {
    const authorization = call.metadata.get('authorization')[0];
    const verdict = services.tokens.verdict(typeof authorization === 'string' ? authorization : undefined);
    if (verdict !== 'ok') {
      callback(REFUSALS[verdict]);
      return;
    }
    if (open >= services.maxOpen) {
      callback({
        code: Status.RESOURCE_EXHAUSTED,
        details: `too many imports open (${services.maxOpen}); retry later`,
      });
      return;
    }
    open += 1;
    // A cancelled call's stream may never end: destroying it ends the iteration below.
    call.once('cancelled', () => call.destroy());
    const run = async (): Promise<ImportEventsResponse> => {
      const current = services.startImport();
      for await (const message of call as AsyncIterable<ImportEventsRequest>) {
        await current.add(message.event ?? { eventId: '', userId: 0, bookId: 0, kind: 0, occurredAt: undefined });
      }
      // A cancelled call (the client gone, its connection cut) is not finished: its last partial
      // batch is dropped, since nobody will read the answer, and a client sending again finds no
      // duplicates of events it never heard were stored. Full batches appended before stay.
      if (call.cancelled) throw new CallCancelled();
      return current.finish();
    };
    run()
      .then(
        (summary) => callback(null, summary),
        (error: unknown) => {
          if (call.cancelled) return;
          const mapped = mapError(error);
          if (!mapped.expected) logger.error({ err: error, method: call.getPath() }, 'unhandled error in handler');
          callback(toServiceError(mapped));
        },
      )
      .finally(() => (open -= 1));
  };
}
