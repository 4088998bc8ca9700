// Exits 0 when certs/ holds a development set this version accepts, else 1 (then `make certs`
// makes a new one): since issue 25 TLS_ALLOWED_CLIENTS matches the client certificate's SAN, so
// a set made before then (a marketplace certificate without DNS:marketplace) is refused.
const { X509Certificate } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const dir = process.argv[2] ?? 'certs';
try {
  const cert = new X509Certificate(readFileSync(join(dir, 'marketplace', 'tls.crt')));
  readFileSync(join(dir, 'ca.crt'));
  process.exit((cert.subjectAltName ?? '').split(', ').includes('DNS:marketplace') ? 0 : 1);
} catch {
  process.exit(1);
}
