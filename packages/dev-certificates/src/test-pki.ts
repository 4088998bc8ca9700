import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCertificateAuthority, type IssueOptions } from './certificate-authority';

/** PEM files on disk, and their contents. */
export interface CertificateFiles {
  readonly certFile: string;
  readonly keyFile: string;
  readonly cert: Buffer;
  readonly key: Buffer;
}

export interface TestPki {
  readonly dir: string;
  /** A CA; `caFile` is its certificate (what peers trust). */
  authority(
    name: string,
  ): Promise<{ caFile: string; ca: Buffer; issue(options: IssueOptions): Promise<CertificateFiles> }>;
  remove(): void;
}

/**
 * Certificates for tests, made fresh in a scratch folder on every run (never committed, never
 * reused): any number of CAs, and certificates with any names, usage and validity (expired too).
 */
export function createTestPki(prefix = 'bookstore-tls-'): TestPki {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  let count = 0;
  const save = (name: string, content: string) => {
    const file = join(dir, `${(count += 1)}-${name.replace(/[^\w.-]/g, '_')}`);
    writeFileSync(file, content);
    return file;
  };
  return {
    dir,
    async authority(name) {
      const ca = await createCertificateAuthority({ name });
      return {
        caFile: save(`${name}-ca.pem`, ca.cert),
        ca: Buffer.from(ca.cert),
        async issue(options) {
          const issued = await ca.issue(options);
          return {
            certFile: save(`${options.commonName}.pem`, issued.cert),
            keyFile: save(`${options.commonName}.key`, issued.key),
            cert: Buffer.from(issued.cert),
            key: Buffer.from(issued.key),
          };
        },
      };
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
