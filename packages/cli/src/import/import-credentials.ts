import { type ChannelCredentials, credentials, Metadata } from '@grpc/grpc-js';
import { readFileSync } from 'node:fs';
import { UsageError } from '../connection';

/** How the import call carries the operator's token. */
export interface ImportAuth {
  /** The channel's credentials, with the token as call credentials when TLS is on. */
  readonly credentials: ChannelCredentials;
  /** Metadata of the call: the token itself only with --insecure-token (grpc-js attaches call credentials to TLS channels only). */
  readonly metadata: Metadata;
}

function readToken(file: string): string {
  let token: string;
  try {
    token = readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new UsageError(`cannot read --token-file ${file}: ${(error as Error).message}`);
  }
  if (token === '') throw new UsageError(`--token-file ${file} is empty`);
  return token;
}

/**
 * The operator's bearer token on the ImportEvents call. Over TLS it travels as grpc-js call
 * credentials combined with the channel's; over plaintext the CLI refuses to send it unless
 * `--insecure-token` says the hop is private (TLS ended by a sidecar on the same host).
 */
export function importAuth(options: {
  channel: ChannelCredentials;
  tls: boolean;
  tokenFile: string | undefined;
  insecureToken: boolean;
}): ImportAuth {
  const metadata = new Metadata();
  if (options.tokenFile === undefined) return { credentials: options.channel, metadata };
  const token = readToken(options.tokenFile);
  if (options.tls) {
    const bearer = credentials.createFromMetadataGenerator((_params, callback) => {
      const withToken = new Metadata();
      withToken.set('authorization', `Bearer ${token}`);
      callback(null, withToken);
    });
    return { credentials: credentials.combineChannelCredentials(options.channel, bearer), metadata };
  }
  if (!options.insecureToken) {
    throw new UsageError(
      'refusing to send the import token without TLS: anyone on the path could read it. ' +
        'Give --ca (TLS), or --insecure-token when TLS ends at a sidecar on this host',
    );
  }
  metadata.set('authorization', `Bearer ${token}`);
  return { credentials: options.channel, metadata };
}
