import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** PEM files made at run time with the openssl CLI: never committed, never reused between runs. */
export interface CertificateAuthority {
  readonly caFile: string;
  readonly ca: Buffer;
  /** Issues a certificate for `commonName` (with localhost/127.0.0.1 names when `server`). */
  issue(name: string, options: { server: boolean }): { certFile: string; keyFile: string; cert: Buffer; key: Buffer };
}

export function createScratchDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'bookstore-tls-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

function openssl(args: string[]) {
  execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

export function createCertificateAuthority(dir: string, name: string): CertificateAuthority {
  const caKey = join(dir, `${name}-ca.key`);
  const caFile = join(dir, `${name}-ca.pem`);
  openssl([
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    caKey,
    '-out',
    caFile,
    '-days',
    '1',
    '-subj',
    `/CN=${name} test CA`,
  ]);
  return {
    caFile,
    ca: readFileSync(caFile),
    issue(commonName, { server }) {
      const keyFile = join(dir, `${name}-${commonName}.key`);
      const csr = join(dir, `${name}-${commonName}.csr`);
      const certFile = join(dir, `${name}-${commonName}.pem`);
      const ext = join(dir, `${name}-${commonName}.ext`);
      writeFileSync(
        ext,
        server
          ? 'subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n'
          : 'extendedKeyUsage=clientAuth\n',
      );
      openssl([
        'req',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        keyFile,
        '-out',
        csr,
        '-subj',
        `/CN=${commonName}`,
      ]);
      openssl([
        'x509',
        '-req',
        '-in',
        csr,
        '-CA',
        caFile,
        '-CAkey',
        caKey,
        '-CAcreateserial',
        '-out',
        certFile,
        '-days',
        '1',
        '-extfile',
        ext,
      ]);
      return { certFile, keyFile, cert: readFileSync(certFile), key: readFileSync(keyFile) };
    },
  };
}
