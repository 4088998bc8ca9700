// `make run TLS=tls|mtls`: each service's TLS settings, pointing at the files `make certs` wrote.
const { existsSync } = require('node:fs');
const { join } = require('node:path');

/** Extra environment for { recommendations, marketplace }; empty without TLS. */
function tlsEnvironment(mode, certs) {
  if (!mode) return { recommendations: {}, marketplace: {} };
  if (mode !== 'tls' && mode !== 'mtls') throw new Error(`TLS must be tls or mtls (got "${mode}")`);
  const file = (service, name) => {
    const path = join(certs, service, name);
    if (!existsSync(path)) throw new Error(`${path} is missing: run make certs`);
    return path;
  };
  const recommendations = {
    TLS_CERT_FILE: file('recommendations', 'tls.crt'),
    TLS_KEY_FILE: file('recommendations', 'tls.key'),
  };
  const marketplace = { RECOMMENDATIONS_TLS_CA_FILE: file('marketplace', 'ca.crt') };
  if (mode === 'mtls') {
    Object.assign(recommendations, {
      TLS_CLIENT_CA_FILE: file('recommendations', 'ca.crt'),
      TLS_ALLOWED_CLIENTS: 'marketplace',
    });
    Object.assign(marketplace, {
      RECOMMENDATIONS_TLS_CERT_FILE: file('marketplace', 'tls.crt'),
      RECOMMENDATIONS_TLS_KEY_FILE: file('marketplace', 'tls.key'),
    });
  }
  return { recommendations, marketplace };
}

module.exports = { tlsEnvironment };
