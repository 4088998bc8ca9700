import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createCertificateAuthority, type IssuedCertificate } from './certificate-authority';

/**
 * Every name the Marketplace may dial Recommendations by: locally, in compose (the service
 * name) and in Kubernetes (the Service in namespace `bookstore`, short to fully qualified).
 */
export const RECOMMENDATIONS_SERVER_NAMES = [
  'localhost',
  '127.0.0.1',
  'recommendations',
  'recommendations.bookstore',
  'recommendations.bookstore.svc',
  'recommendations.bookstore.svc.cluster.local',
] as const;

/**
 * The client identity the Marketplace presents: its certificate's DNS subject alternative name
 * (what TLS_ALLOWED_CLIENTS matches), and its CN too (what logs show).
 */
export const MARKETPLACE_CLIENT_NAME = 'marketplace';

/** Writes `<dir>/tls.crt`, `tls.key` and `ca.crt`: the layout of a kubernetes.io/tls Secret. */
export function writeTlsFolder(dir: string, issued: IssuedCertificate, caCert: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'tls.crt'), issued.cert);
  writeFileSync(join(dir, 'tls.key'), issued.key);
  writeFileSync(join(dir, 'ca.crt'), caCert);
  // Development keys only, in an ignored folder: readable by the containers' non-root user
  // (compose mounts the folder read-only), never copied into an image (.dockerignore).
  chmodSync(join(dir, 'tls.key'), 0o644);
}

/**
 * `make certs`: a development CA, the Recommendations server certificate and the Marketplace
 * client certificate, as `<dir>/recommendations/` and `<dir>/marketplace/` (tls.crt, tls.key,
 * ca.crt each) plus `<dir>/ca.crt`. The CA key is not kept: run it again for a new set.
 */
export async function writeDevCertificates(dir: string, options: { days?: number } = {}): Promise<string[]> {
  const ca = await createCertificateAuthority({ name: 'bookstore development CA', days: options.days ?? 365 });
  const notAfter = new Date(Date.now() + (options.days ?? 365) * 24 * 60 * 60 * 1000);
  const server = await ca.issue({
    commonName: 'recommendations',
    usage: 'server',
    altNames: RECOMMENDATIONS_SERVER_NAMES,
    notAfter,
  });
  const client = await ca.issue({
    commonName: MARKETPLACE_CLIENT_NAME,
    usage: 'client',
    altNames: [MARKETPLACE_CLIENT_NAME],
    notAfter,
  });
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'ca.crt'), ca.cert);
  writeTlsFolder(join(dir, 'recommendations'), server, ca.cert);
  writeTlsFolder(join(dir, 'marketplace'), client, ca.cert);
  return ['ca.crt', 'recommendations/tls.crt', 'recommendations/tls.key', 'marketplace/tls.crt', 'marketplace/tls.key'];
}
