import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from './support/manifests';

/** Versions below these have security advisories; the lockfile must not resolve any of them. */
const MINIMUM: Record<string, string> = { '@grpc/grpc-js': '1.14.4', fastify: '5.8.5', handlebars: '4.7.9' };

const lockfile = parse(readFileSync(join(ROOT, 'pnpm-lock.yaml'), 'utf8')) as { packages: Record<string, unknown> };

function compare(a: string, b: string): number {
  const [x, y] = [a, b].map((v) => v.split('.').map(Number));
  for (let i = 0; i < 3; i += 1) if ((x?.[i] ?? 0) !== (y?.[i] ?? 0)) return (x?.[i] ?? 0) - (y?.[i] ?? 0);
  return 0;
}

/** Every version of `name` the lockfile resolves (keys look like `name@1.2.3` or `@scope/name@1.2.3(peer…)`). */
function resolved(name: string): string[] {
  return Object.keys(lockfile.packages)
    .filter((key) => key.startsWith(`${name}@`))
    .map((key) => key.slice(name.length + 1).replace(/\(.*$/, ''));
}

describe('the lockfile', () => {
  it.each(Object.entries(MINIMUM))('resolves %s only at or above %s', (name, minimum) => {
    const versions = resolved(name);
    expect(versions.length).toBeGreaterThan(0);
    for (const version of versions) expect(compare(version, minimum)).toBeGreaterThanOrEqual(0);
  });

  it('would catch an old version (the comparison itself)', () => {
    expect(compare('1.14.3', '1.14.4')).toBeLessThan(0);
    expect(compare('5.12.8', '5.8.5')).toBeGreaterThan(0);
  });
});
