import { type ChannelCredentials, type ChannelOptions, credentials } from '@grpc/grpc-js';
import { readFileSync } from 'node:fs';

/** The global flags, after commander merged them with their environment variables. */
export interface ConnectionFlags {
  addr: string;
  deadline?: number;
  ca?: string;
  cert?: string;
  key?: string;
  serverName?: string;
}

/** Where and how to dial: the target, credentials and channel options. */
export interface Connection {
  readonly target: string;
  readonly credentials: ChannelCredentials;
  readonly channelOptions: ChannelOptions;
  /** The --deadline flag in ms, when given. */
  readonly deadlineMs: number | undefined;
}

/** A problem with the flags themselves: reported with usage, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

function read(file: string, flag: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new UsageError(`cannot read ${flag} ${file}: ${(error as Error).message}`);
  }
}

/**
 * The same TLS settings as the Marketplace: a CA turns TLS on; a client certificate and key
 * (both or neither, only with the CA) make it mutual TLS; a server name overrides the name the
 * certificate is checked against (and the :authority sent).
 */
export function resolveConnection(flags: ConnectionFlags): Connection {
  const problems: string[] = [];
  if ((flags.cert === undefined) !== (flags.key === undefined)) {
    problems.push('--cert (RECOMMENDATIONS_TLS_CERT_FILE) and --key (RECOMMENDATIONS_TLS_KEY_FILE) go together');
  }
  if (flags.ca === undefined && (flags.cert !== undefined || flags.key !== undefined)) {
    problems.push('a client certificate needs --ca (RECOMMENDATIONS_TLS_CA_FILE)');
  }
  if (flags.ca === undefined && flags.serverName !== undefined) {
    problems.push('--server-name (RECOMMENDATIONS_TLS_SERVER_NAME) needs --ca (RECOMMENDATIONS_TLS_CA_FILE)');
  }
  if (problems.length > 0) throw new UsageError(problems.join('; '));

  const channelOptions: ChannelOptions = {};
  if (flags.serverName !== undefined) {
    channelOptions['grpc.ssl_target_name_override'] = flags.serverName;
    channelOptions['grpc.default_authority'] = flags.serverName;
  }
  const channelCredentials =
    flags.ca === undefined
      ? credentials.createInsecure()
      : credentials.createSsl(
          read(flags.ca, '--ca'),
          flags.key === undefined ? null : read(flags.key, '--key'),
          flags.cert === undefined ? null : read(flags.cert, '--cert'),
        );
  return { target: flags.addr, credentials: channelCredentials, channelOptions, deadlineMs: flags.deadline };
}

/** The absolute deadline of a call: --deadline, or `fallbackMs` when it was not given. */
export function deadlineOf(connection: Connection, fallbackMs: number): Date {
  return new Date(Date.now() + (connection.deadlineMs ?? fallbackMs));
}
