import {
  type ImportEventsRequest,
  type ImportEventsResponse,
  type ImportRejection,
  RecommendationServiceClient,
} from '@bookstore/contracts';
import { type ClientWritableStream, type ServiceError } from '@grpc/grpc-js';
import { once } from 'node:events';
import type { Connection } from '../connection';
import { EXIT_CODES } from '../exit-codes';
import { type ImportAuth } from '../import/import-credentials';
import { readEventLines } from '../import/event-lines';
import { createProgress } from '../import/progress';
import type { Output } from '../output';

/** Local problems (lines that are not events) listed in the summary; the rest are counted. */
const MAX_LISTED = 100;

interface LocalRejection {
  readonly line: number;
  readonly reason: string;
}

function summary(response: ImportEventsResponse, local: readonly LocalRejection[], localCount: number) {
  return {
    accepted: response.accepted,
    duplicates: response.duplicates,
    rejected: response.rejectedCount + localCount,
    rejectedByServer: response.rejected.map((r: ImportRejection) => ({ ...r })),
    unreadableLines: local,
  };
}

/**
 * `bookstore import <file>`: streams a JSON-lines reading history to ImportEvents (client
 * streaming), at the pace the stream's flow control allows, then prints what was stored. Exits
 * 4 when any event was rejected (by the server or as an unreadable line), else 0.
 */
export async function importCommand(
  connection: Connection,
  output: Output,
  options: { file: string; auth: ImportAuth; compression: 'gzip' | 'none' },
): Promise<number> {
  const channelOptions = {
    ...connection.channelOptions,
    // 2 is gzip in grpc-js' compression algorithms; it compresses what this client sends.
    ...(options.compression === 'gzip' ? { 'grpc.default_compression_algorithm': 2 } : {}),
  };
  const client = new RecommendationServiceClient(connection.target, options.auth.credentials, channelOptions);
  const progress = createProgress(process.stderr);
  try {
    let call!: ClientWritableStream<ImportEventsRequest>;
    const answered = new Promise<ImportEventsResponse>((resolve, reject) => {
      call = client.importEvents(
        options.auth.metadata,
        (error: ServiceError | null, response?: ImportEventsResponse) =>
          error || response === undefined ? reject(error ?? new Error('no response')) : resolve(response),
      );
    });
    // The server may answer (a refusal, a failure) before the file ends: stop reading then.
    let finished = false;
    const settled = answered.then(
      () => (finished = true),
      () => (finished = true),
    );
    const local: LocalRejection[] = [];
    let localCount = 0;
    let sent = 0;
    for await (const item of readEventLines(options.file)) {
      if (finished) break;
      if ('problem' in item) {
        localCount += 1;
        if (local.length < MAX_LISTED) local.push({ line: item.line, reason: item.problem });
        continue;
      }
      sent += 1;
      progress.update(sent);
      if (!call.write({ event: item.event })) {
        await Promise.race([once(call, 'drain').catch(() => undefined), settled]);
      }
    }
    call.end();
    const response = await answered;
    progress.done();
    const result = summary(response, local, localCount);
    if (output.json) output.out(JSON.stringify(result));
    else {
      output.out(`accepted ${result.accepted}, duplicates ${result.duplicates}, rejected ${result.rejected}`);
      for (const r of result.rejectedByServer) output.out(`  event #${r.index} ${r.eventId}: ${r.reason}`);
      for (const r of result.unreadableLines) output.out(`  line ${r.line}: ${r.reason}`);
    }
    return result.rejected > 0 ? EXIT_CODES.rejected : EXIT_CODES.ok;
  } finally {
    progress.done();
    client.close();
  }
}
