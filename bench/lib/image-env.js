// The environment each service's image sets (the `ENV` lines of its Dockerfile), node flags
// (NODE_OPTIONS) included: the bench runs the production rows as shipped, read from the
// Dockerfiles so that the two cannot drift apart.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..', '..');

/** `ENV` lines of `Dockerfile.<service>` as an object (a value may hold '=' and, quoted, spaces). */
function imageEnv(service) {
  const text = readFileSync(join(ROOT, `Dockerfile.${service}`), 'utf8');
  const env = {};
  for (const line of text.split('\n').filter((l) => l.startsWith('ENV '))) {
    // KEY=value or KEY="value with spaces" (NODE_OPTIONS with two flags).
    for (const [, key, quoted, bare] of line.slice(4).matchAll(/(\w+)=(?:"([^"]*)"|(\S+))/g)) env[key] = quoted ?? bare;
  }
  if (env.NODE_ENV === undefined) throw new Error(`no ENV NODE_ENV in Dockerfile.${service}`);
  return env;
}

module.exports = { imageEnv };
