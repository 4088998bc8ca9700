import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from './support/manifests';

const dockerfile = (name: string) => readFileSync(join(ROOT, `Dockerfile.${name}`), 'utf8');

describe.each([
  ['recommendations', ['50051', '9090']],
  ['marketplace', ['5000', '9091']],
])('Dockerfile.%s', (name, ports) => {
  const text = dockerfile(name);

  it('builds from the Node image of .node-version, the runtime every test runs on', () => {
    const pinned = readFileSync(join(ROOT, '.node-version'), 'utf8').trim();
    expect(text).toMatch(new RegExp(`^ARG NODE_IMAGE=node:${pinned.replaceAll('.', '\\.')}-bookworm-slim$`, 'm'));
    expect(text.match(/^FROM \$\{NODE_IMAGE\}/gm)).toHaveLength(2);
  });

  it('installs with the pinned pnpm and the frozen lockfile, and deploys production files only', () => {
    const pinned = (
      JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { packageManager: string }
    ).packageManager.split('@')[1];
    expect(text).toContain(`ARG PNPM_VERSION=${pinned}`);
    expect(text).toContain('pnpm install --frozen-lockfile');
    expect(text).toMatch(/deploy --prod/);
  });

  it('runs node dist/main.js as 10001 in production mode, exposing its ports', () => {
    expect(text).toMatch(/^USER 10001:10001$/m);
    expect(text).toMatch(/^ENV NODE_ENV=production$/m);
    expect(text).toMatch(/^CMD \["node", "dist\/main\.js"\]$/m);
    expect(text).toMatch(new RegExp(`^EXPOSE ${ports.join(' ')}$`, 'm'));
  });

  it('bounds V8 generations (NODE_OPTIONS): semi-spaces 8 MB, old space 128 MB, RSS after load ~130 MB (docs/benchmarks.md)', () => {
    expect(text).toMatch(/^ENV NODE_OPTIONS="--max-semi-space-size=8 --max-old-space-size=128"$/m);
  });

  it('copies every workspace manifest before the frozen install (pnpm needs the whole workspace)', () => {
    const manifests = readdirSync(join(ROOT, 'packages'))
      .map((name) => `packages/${name}/package.json`)
      .filter((path) => existsSync(join(ROOT, path)));
    for (const path of [...manifests, 'bench/package.json']) {
      expect(text).toContain(`COPY ${path} ${path.replace('package.json', '')}`);
    }
    expect(text.indexOf('COPY packages/cli/package.json')).toBeLessThan(text.indexOf('pnpm install'));
  });

  it('uses nothing the legacy builder lacks', () => {
    expect(text).not.toMatch(/--mount|--link|<<EOF|# syntax=/);
  });
});

describe('what the images are built from', () => {
  it('keeps @bookstore/test-support out of every image: only devDependencies name it (deploy --prod drops them)', () => {
    const manifests = readdirSync(join(ROOT, 'packages'))
      .map((name) => join(ROOT, 'packages', name, 'package.json'))
      .filter((path) => existsSync(path))
      .map(
        (path) =>
          JSON.parse(readFileSync(path, 'utf8')) as { name: string; dependencies?: object; devDependencies?: object },
      );
    const users = manifests.filter((m) => '@bookstore/test-support' in (m.devDependencies ?? {})).map((m) => m.name);
    expect(users).toEqual(expect.arrayContaining(['@bookstore/recommendations', '@bookstore/marketplace']));
    for (const manifest of manifests)
      expect(Object.keys(manifest.dependencies ?? {})).not.toContain('@bookstore/test-support');
  });
});

describe('the build context and the compose stack', () => {
  it('keeps node_modules, dist and .git out of the context', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['**/node_modules', '**/dist', '.git']));
  });

  it('keeps the development certificates (make certs) out of git and of every image', () => {
    const lines = (file: string) => readFileSync(join(ROOT, file), 'utf8').split('\n');
    expect(lines('.dockerignore')).toContain('certs');
    expect(lines('.gitignore')).toContain('certs/');
  });

  it('mounts the certificates read-only in the mutual TLS override, for both services', () => {
    const mtls = parse(readFileSync(join(ROOT, 'compose.mtls.yaml'), 'utf8')) as {
      services: Record<string, { volumes?: string[]; environment?: Record<string, string> }>;
    };
    expect(mtls.services.recommendations?.volumes).toEqual(['./certs/recommendations:/tls:ro']);
    expect(mtls.services.marketplace?.volumes).toEqual(['./certs/marketplace:/tls:ro']);
    expect(mtls.services.recommendations?.environment?.TLS_CLIENT_CA_FILE).toBe('/tls/ca.crt');
    expect(mtls.services.marketplace?.environment?.RECOMMENDATIONS_TLS_CERT_FILE).toBe('/tls/tls.crt');
  });

  it('has the marketplace on 5000 dialing every recommendations replica through Docker DNS, with health checks', () => {
    const compose = parse(readFileSync(join(ROOT, 'compose.yaml'), 'utf8')) as {
      services: Record<string, { ports?: string[]; environment?: Record<string, string>; healthcheck?: object }>;
    };
    expect(compose.services.marketplace?.ports).toEqual(['${MARKETPLACE_PORT:-5000}:5000']);
    expect(compose.services.marketplace?.environment?.RECOMMENDATIONS_ADDR).toBe('dns:///recommendations:50051');
    for (const service of ['marketplace', 'recommendations'])
      expect(compose.services[service]?.healthcheck).toBeDefined();
  });
});
