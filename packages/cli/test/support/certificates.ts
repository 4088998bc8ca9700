import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * PEM files made at test time with the openssl CLI (as packages/recommendations' TLS tests do),
 * never committed. openssl missing fails the test loudly: `make test` installs it.
 */
export interface TestCa {
  readonly caFile: string;
  /** A certificate signed by this CA: server ones carry `names` as subjectAltNames. */
  issue(commonName: string, usage: { server: string[] } | { client: true }): { certFile: string; keyFile: string };
  remove(): void;
}

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

export function createTestCa(name: string): TestCa {
  const dir = mkdtempSync(join(tmpdir(), `bookstore-cli-${name}-`));
  const caKey = join(dir, 'ca.key');
  const caFile = join(dir, 'ca.pem');
  openssl(['req', '-x509', ...EC_KEY, '-keyout', caKey, '-out', caFile, '-days', '1', '-subj', `/CN=${name} CA`]);
  return {
    caFile,
    issue(commonName, usage) {
      const base = join(dir, commonName);
      const ext = `${base}.ext`;
      writeFileSync(
        ext,
        'server' in usage
          ? `subjectAltName=${usage.server.map((n) => (/^[\d.]+$/.test(n) ? `IP:${n}` : `DNS:${n}`)).join(',')}\nextendedKeyUsage=serverAuth\n`
          : 'extendedKeyUsage=clientAuth\n',
      );
      openssl(['req', ...EC_KEY, '-keyout', `${base}.key`, '-out', `${base}.csr`, '-subj', `/CN=${commonName}`]);
      openssl(
        ['x509', '-req', '-in', `${base}.csr`, '-CA', caFile, '-CAkey', caKey, '-CAcreateserial'].concat([
          '-out',
          `${base}.pem`,
          '-days',
          '1',
          '-extfile',
          ext,
        ]),
      );
      return { certFile: `${base}.pem`, keyFile: `${base}.key` };
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
