import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './support/manifests';

/**
 * TypeScript project references mirror the workspace dependencies: `tsc -b tsconfig.json` builds
 * what a package imports before checking it, so `make typecheck` needs no `make build`. A
 * reference to a package that is not a dependency would let two packages build the same dist/ at
 * once under `pnpm -r typecheck` (pnpm orders only by dependencies); a missing one fails from clean.
 */
type Manifest = { name: string; dependencies?: Record<string, string>; devDependencies?: Record<string, string> };
type TsConfig = { references?: { path: string }[] };

const PACKAGES = join(ROOT, 'packages');
const read = <T>(path: string) => JSON.parse(readFileSync(path, 'utf8')) as T;
const dirs = readdirSync(PACKAGES).filter((dir) => existsSync(join(PACKAGES, dir, 'package.json')));
const dirOf = new Map(dirs.map((dir) => [read<Manifest>(join(PACKAGES, dir, 'package.json')).name, dir]));
const buildable = (dir: string) => existsSync(join(PACKAGES, dir, 'tsconfig.build.json'));

function workspaceDeps(dir: string): string[] {
  const manifest = read<Manifest>(join(PACKAGES, dir, 'package.json'));
  return Object.keys({ ...manifest.dependencies, ...manifest.devDependencies })
    .map((name) => dirOf.get(name))
    .filter((dep): dep is string => dep !== undefined && buildable(dep));
}

describe.each(dirs.filter((dir) => existsSync(join(PACKAGES, dir, 'tsconfig.json'))))('packages/%s', (dir) => {
  const references = (read<TsConfig>(join(PACKAGES, dir, 'tsconfig.json')).references ?? []).map((r) => r.path);

  it('references the build config of exactly the workspace packages it depends on', () => {
    expect([...references].sort()).toEqual(
      workspaceDeps(dir)
        .map((dep) => `../${dep}/tsconfig.build.json`)
        .sort(),
    );
  });

  it('lists each reference after the packages that one depends on (tsc -b builds them in that order)', () => {
    const order = references.map((path) => path.split('/')[1] as string);
    for (const [index, dep] of order.entries()) {
      const late = workspaceDeps(dep).filter((needed) => order.indexOf(needed) > index);
      expect({ [dep]: late }).toEqual({ [dep]: [] });
    }
  });
});
