import { cpSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REPO = join(__dirname, '..', '..', '..', '..');

/** A copy of the services' sources that `make dev` may edit; dependencies are linked, not copied. */
export function copyOfServices(services: ReadonlyArray<'recommendations' | 'marketplace'>): string {
  const root = mkdtempSync(join(tmpdir(), 'bookstore-dev-'));
  cpSync(join(REPO, 'tsconfig.base.json'), join(root, 'tsconfig.base.json'));
  symlinkSync(join(REPO, 'node_modules'), join(root, 'node_modules'));
  for (const service of services) {
    const entries = [
      'src',
      'package.json',
      'tsconfig.build.json',
      ...(service === 'marketplace' ? ['views', 'public'] : []),
    ];
    const target = join(root, 'packages', service);
    mkdirSync(target, { recursive: true });
    for (const entry of entries) {
      cpSync(join(REPO, 'packages', service, entry), join(target, entry), { recursive: true });
    }
    symlinkSync(join(REPO, 'packages', service, 'node_modules'), join(target, 'node_modules'));
  }
  return root;
}
