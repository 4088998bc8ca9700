import {
  type ImportEventsRequest,
  type ImportEventsResponse,
  type ImportRejection,
  type ReaderEvent,
  RecommendationServiceClient,
} from '@bookstore/contracts';
import { type ClientWritableStream, type ServiceError, status as Status } from '@grpc/grpc-js';
import { setTimeout as delay } from 'node:timers/promises';
import { once } from 'node:events';
import type { Connection } from '../connection';
import { EXIT_CODES } from '../exit-codes';
import { type ImportAuth } from '../import/import-credentials';
import { readEventLines } from '../import/event-lines';
import { createProgress } from '../import/progress';
import type { Output } from '../output';

/** Local problems (lines that are not events) listed in the summary; the rest are counted. */
const MAX_LISTED = 100;

/**
 * Events one ImportEvents call carries; a longer file is imported over several calls, one after
 * the other. A server closes connections at their maximum age (30 s + 10 s grace by default), which
 * would cut a single call of a million events; 20,000 take about 4 s here (bench/import-memory.js:
100,000 in 19.5 s), well inside the 10 s grace even on a loaded host.
 * Each call stands alone (ids are stored once), so a file re-run after a failure is harmless.
 */
export const EVENTS_PER_CALL = 20_000;

/** A call that fails UNAVAILABLE (a connection cut at its maximum age, a restart) is sent again this often. */
export const MAX_RESENDS = 3;
const RESEND_BACKOFF_MS = 250;

/** Failures worth sending the call's events again: the server never saw the end of the call. */
function isResendable(error: unknown): boolean {
  return (error as Partial<ServiceError> | undefined)?.code === Status.UNAVAILABLE;
}

interface OpenImport {
  readonly stream: ClientWritableStream<ImportEventsRequest>;
  /**
   * The events this call carried, kept until it is answered so that a failed call can be sent
   * again in full (ids are stored once, so events stored before the failure come back as duplicates).
   */
  readonly events: ReaderEvent[];
  error?: unknown;
  readonly answered: Promise<ImportEventsResponse>;
  /** Settles when the call is answered; `failed` is then true if it failed. */
  settled: Promise<unknown>;
  /** Events sent before this call: its answer's indexes start here. */
  readonly offset: number;
  count: number;
  failed: boolean;
}

function openImport(
  client: RecommendationServiceClient,
  auth: ImportAuth,
  offset: number,
  deadlineMs: number | undefined,
): OpenImport {
  let stream!: ClientWritableStream<ImportEventsRequest>;
  // No deadline unless --deadline gives one: a call's length follows the file, and the server's
  // connection age (not a guess here) is what bounds it; --events-per-call keeps each call short.
  const options = deadlineMs === undefined ? {} : { deadline: new Date(Date.now() + deadlineMs) };
  const answered = new Promise<ImportEventsResponse>((resolve, reject) => {
    stream = client.importEvents(
      auth.metadata,
      options,
      (error: ServiceError | null, response?: ImportEventsResponse) =>
        error || response === undefined ? reject(error ?? new Error('no response')) : resolve(response),
    );
  });
  const open: OpenImport = {
    stream,
    events: [],
    answered,
    settled: Promise.resolve(),
    offset,
    count: 0,
    failed: false,
  };
  // The server may answer (a refusal, a failure) before the call ends: stop writing to it then.
  open.settled = answered.then(
    () => undefined,
    (error: unknown) => {
      open.failed = true;
      open.error = error;
    },
  );
  return open;
}

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
  options: { file: string; auth: ImportAuth; compression: 'gzip' | 'none'; eventsPerCall?: number },
): Promise<number> {
  const channelOptions = {
    ...connection.channelOptions,
    // 2 is gzip in grpc-js' compression algorithms; it compresses what this client sends.
    ...(options.compression === 'gzip' ? { 'grpc.default_compression_algorithm': 2 } : {}),
  };
  const client = new RecommendationServiceClient(connection.target, options.auth.credentials, channelOptions);
  const progress = createProgress(process.stderr);
  try {
    const total: ImportEventsResponse = { accepted: 0, duplicates: 0, rejected: [], rejectedCount: 0 };
    const local: LocalRejection[] = [];
    let localCount = 0;
    let sent = 0;
    let call: OpenImport | undefined;
    let resent = 0;
    const callFailed = new AbortController();
    /** Writes events a call holds, at the pace its flow control allows; stops early if the call fails. */
    const send = async (target: OpenImport, events: readonly ReaderEvent[]) => {
      for (const event of events) {
        if (target.failed) return;
        if (!target.stream.write({ event })) {
          await Promise.race([once(target.stream, 'drain').catch(() => undefined), target.settled]);
        }
      }
    };
    /**
     * Ends the open call and adds its answer, its rejections at their position in the whole
     * import. A call that failed UNAVAILABLE is sent again in full, up to MAX_RESENDS times.
     */
    const finishCall = async () => {
      if (call === undefined) return;
      let current: OpenImport = call;
      call = undefined;
      current.stream.end();
      let response: ImportEventsResponse | undefined;
      for (let resend = 1; response === undefined; resend += 1) {
        try {
          response = await current.answered;
        } catch (error) {
          if (!isResendable(error) || resend > MAX_RESENDS) throw error;
          const details = (error as ServiceError).details;
          process.stderr.write(
            `bookstore: a call of ${current.events.length} events failed (UNAVAILABLE: ${details}); sending it again (${resend}/${MAX_RESENDS})\n`,
          );
          await delay(RESEND_BACKOFF_MS * 2 ** (resend - 1));
          const again = openImport(client, options.auth, current.offset, connection.deadlineMs);
          again.events.push(...current.events);
          again.count = current.count;
          await send(again, again.events);
          again.stream.end();
          current = again;
          resent += 1;
        }
      }
      total.accepted += response.accepted;
      total.duplicates += response.duplicates;
      total.rejectedCount += response.rejectedCount;
      for (const r of response.rejected) {
        if (total.rejected.length < MAX_LISTED) total.rejected.push({ ...r, index: r.index + current.offset });
      }
    };
    /** Reads the file and sends its events, a new call every --events-per-call events. */
    const sendAll = async (): Promise<void> => {
      for await (const item of readEventLines(options.file, { signal: callFailed.signal })) {
        if ('problem' in item) {
          localCount += 1;
          if (local.length < MAX_LISTED) local.push({ line: item.line, reason: item.problem });
          continue;
        }
        if (call !== undefined && (call.count >= (options.eventsPerCall ?? EVENTS_PER_CALL) || call.failed)) {
          await finishCall();
        }
        if (call === undefined) {
          const opened = openImport(client, options.auth, sent, connection.deadlineMs);
          // A call that fails (its deadline, the server) while the input stalls stops the reading.
          // (A resendable failure waits for the next event, or the file's end, to be sent again.)
          void opened.settled.then(() => opened.failed && !isResendable(opened.error) && callFailed.abort());
          call = opened;
        }
        sent += 1;
        progress.update(sent);
        call.count += 1;
        call.events.push(item.event);
        await send(call, [item.event]);
      }
      await finishCall();
    };
    try {
      await sendAll();
    } catch (error) {
      // The call's own failure explains a stopped read best.
      if (call?.failed) await call.answered;
      // A file that cannot be read (or any local failure) must not leave the open call waiting
      // for more events: it is cancelled, so the server drops it and the process can end.
      call?.stream.cancel();
      call?.answered.catch(() => undefined);
      throw error;
    }
    progress.done();
    const response = total;
    const result = { ...summary(response, local, localCount), resentCalls: resent };
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
