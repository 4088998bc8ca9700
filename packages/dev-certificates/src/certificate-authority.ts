// @peculiar/x509 resolves its parts through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

type CryptoKey = webcrypto.CryptoKey;

// Node's crypto makes keys but cannot sign X.509 certificates; @peculiar/x509 builds them on
// WebCrypto (Node's own), with no native code and no shell-out to openssl.
x509.cryptoProvider.set(globalThis.crypto);

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY_MS = 24 * 60 * 60 * 1000;

/** A PEM certificate and its PEM (PKCS#8) private key. */
export interface IssuedCertificate {
  readonly cert: string;
  readonly key: string;
}

export interface IssueOptions {
  /** Subject CN, also the identity Recommendations logs and checks for clients. */
  readonly commonName: string;
  /** `server` adds serverAuth, `client` clientAuth. */
  readonly usage: 'server' | 'client';
  /** Subject alternative names: DNS names, and IP addresses (anything that parses as one). */
  readonly altNames?: readonly string[];
  readonly notBefore?: Date;
  readonly notAfter?: Date;
}

export interface CertificateAuthority {
  /** The CA certificate, PEM: what peers trust. */
  readonly cert: string;
  readonly key: string;
  issue(options: IssueOptions): Promise<IssuedCertificate>;
}

async function pemKey(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN PRIVATE KEY-----\n${lines.join('\n')}\n-----END PRIVATE KEY-----\n`;
}

const newKeys = () => webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
const serial = () =>
  webcrypto.getRandomValues(new Uint8Array(16)).reduce((s, b) => s + b.toString(16).padStart(2, '0'), '7');
const isIp = (name: string) => /^[\d.]+$/.test(name) || name.includes(':');

/** A new CA (P-256, SHA-256), valid from an hour ago for `days` days. */
export async function createCertificateAuthority(options: {
  name: string;
  days?: number;
}): Promise<CertificateAuthority> {
  const keys = await newKeys();
  const notBefore = new Date(Date.now() - 60 * 60 * 1000);
  const caCert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${options.name}`,
    notBefore,
    notAfter: new Date(notBefore.getTime() + (options.days ?? 365) * DAY_MS),
    signingAlgorithm: ALGORITHM,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return {
    cert: caCert.toString('pem') + '\n',
    key: await pemKey(keys.privateKey),
    async issue(issued) {
      const leafKeys = await newKeys();
      const start = issued.notBefore ?? notBefore;
      const names = (issued.altNames ?? []).map((value) => ({ type: isIp(value) ? 'ip' : 'dns', value }) as const);
      const cert = await x509.X509CertificateGenerator.create({
        serialNumber: serial(),
        subject: `CN=${issued.commonName}`,
        issuer: caCert.subject,
        notBefore: start,
        notAfter: issued.notAfter ?? new Date(start.getTime() + 90 * DAY_MS),
        signingAlgorithm: ALGORITHM,
        publicKey: leafKeys.publicKey,
        signingKey: keys.privateKey,
        extensions: [
          new x509.BasicConstraintsExtension(false, undefined, true),
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
          new x509.ExtendedKeyUsageExtension([
            issued.usage === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth,
          ]),
          ...(names.length > 0 ? [new x509.SubjectAlternativeNameExtension(names)] : []),
          await x509.AuthorityKeyIdentifierExtension.create(keys.publicKey),
        ],
      });
      return { cert: cert.toString('pem') + '\n', key: await pemKey(leafKeys.privateKey) };
    },
  };
}
