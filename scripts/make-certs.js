// `make certs`: a development CA, the Recommendations server certificate and the Marketplace
// client certificate, written to certs/ (or the folder given), which git and docker ignore.
// Made with Node only (packages/dev-certificates, @peculiar/x509); run again for a new set.
const { join, relative } = require('node:path');
const { writeDevCertificates } = require('../packages/dev-certificates/dist');

const root = join(__dirname, '..');
const dir = join(root, process.argv[2] || 'certs');
writeDevCertificates(dir).then(
  (files) => console.error(`certificates for mutual TLS in ${relative(root, dir)}/: ${files.join(', ')}`),
  (error) => {
    console.error(`make certs failed: ${error.stack}`);
    process.exit(1);
  },
);
