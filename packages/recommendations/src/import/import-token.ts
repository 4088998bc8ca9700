import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';

/** What a call's bearer token is worth. */
export type TokenVerdict = 'ok' | 'missing' | 'wrong' | 'imports-off';

export interface ImportTokenCheck {
  /** Judges the value of the call's `authorization` metadata (`Bearer <token>`), in constant time. */
  verdict(authorization: string | undefined): TokenVerdict;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * The operators' import token, read from `file` (a mounted Kubernetes Secret) and read again when
 * the file changes (a rotated Secret is re-mounted in place): the file's mtime and size are
 * looked at, at most once every `recheckMs`. Both tokens are hashed before the comparison, so
 * `timingSafeEqual` compares equal lengths and the time taken tells nothing of the token. With
 * no file configured, imports are off for everyone. An unreadable or empty file refuses every
 * token (and is retried), rather than letting any through.
 */
export function createImportTokenCheck(options: {
  file: string | undefined;
  recheckMs?: number;
  now?: () => number;
}): ImportTokenCheck {
  const { file } = options;
  const recheckMs = options.recheckMs ?? 1_000;
  const now = options.now ?? Date.now;
  let expected: Buffer | undefined;
  let seen = '';
  let checkedAt = -Infinity;

  function refresh(path: string): void {
    if (now() - checkedAt < recheckMs) return;
    checkedAt = now();
    try {
      const stat = statSync(path);
      const version = `${stat.mtimeMs}:${stat.size}:${stat.ino}`;
      if (version === seen) return;
      const token = readFileSync(path, 'utf8').trim();
      expected = token === '' ? undefined : digest(token);
      seen = version;
    } catch {
      expected = undefined;
      seen = '';
    }
  }

  return {
    verdict(authorization) {
      if (file === undefined) return 'imports-off';
      const match = /^Bearer +(\S+)\s*$/i.exec(authorization ?? '');
      if (match?.[1] === undefined) return 'missing';
      refresh(file);
      if (expected === undefined) return 'wrong';
      return timingSafeEqual(digest(match[1]), expected) ? 'ok' : 'wrong';
    },
  };
}
