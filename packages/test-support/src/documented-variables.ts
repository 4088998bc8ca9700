import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The repository's root, from a package's dist/ or src/. */
export const REPOSITORY_ROOT = join(__dirname, '..', '..', '..');

/** A variable as a Markdown table documents it: its default is undefined when the table says "unset". */
export interface DocumentedVariable {
  readonly name: string;
  readonly fallback: string | undefined;
}

/** Backquoted words of a table cell, in order. */
const quoted = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((match) => match[1] as string);

/**
 * The variables of the first table under `heading` in a Markdown file of the repository
 * (`README.md`, `docs/operations.md`), from its `variable` and `default` columns; rows whose
 * `service` column (when there is one) names another service are left out. A cell may name
 * several variables (`A`, `B`): their defaults are one for each, or one (`unset`) for all.
 */
export function documentedVariables(file: string, heading: string, service: string): DocumentedVariable[] {
  const text = readFileSync(join(REPOSITORY_ROOT, file), 'utf8');
  const start = text.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`${file} has no heading "${heading}"`);
  const lines = text.slice(start + heading.length + 2).split('\n');
  const first = lines.findIndex((line) => line.startsWith('|'));
  const table = lines.slice(
    first,
    lines.findIndex((line, i) => i > first && !line.startsWith('|')),
  );
  const cells = (line: string) =>
    line
      .split(/(?<!\\)\|/)
      .slice(1, -1)
      .map((cell) => cell.trim());
  const header = cells(table[0] ?? '');
  const [serviceAt, nameAt, fallbackAt] = ['service', 'variable', 'default'].map((name) => header.indexOf(name));
  if (nameAt === undefined || nameAt < 0 || fallbackAt === undefined || fallbackAt < 0) {
    throw new Error(`${file}, "${heading}": the table has no variable and default columns`);
  }
  return table.slice(2).flatMap((line) => {
    const row = cells(line);
    const services = serviceAt === undefined || serviceAt < 0 ? service : (row[serviceAt] ?? '');
    if (services !== service && services !== 'both') return [];
    const names = quoted(row[nameAt] ?? '');
    const fallbacks = (row[fallbackAt] ?? '').startsWith('unset') ? [] : quoted(row[fallbackAt] ?? '');
    if (fallbacks.length > 0 && fallbacks.length !== names.length) {
      throw new Error(`${file}: "${line}" names ${names.length} variables but ${fallbacks.length} defaults`);
    }
    return names.map((name, i) => ({ name, fallback: fallbacks[i] }));
  });
}

/**
 * Every variable `load` reads, branches included: it is called again with each variable seen so
 * far set (to "1") until no new one appears, so a variable read only when another is set (a TLS
 * reload interval once the certificate is) is found too. What `load` throws is ignored.
 */
export function variablesRead(load: (env: Readonly<Record<string, string | undefined>>) => unknown): string[] {
  const seen = new Set<string>();
  for (let size = -1; size !== seen.size;) {
    size = seen.size;
    const values = Object.fromEntries([...seen].map((name) => [name, '1']));
    const env = new Proxy(values, {
      get: (target, name) => {
        if (typeof name === 'string') seen.add(name);
        return typeof name === 'string' ? target[name] : undefined;
      },
    });
    try {
      load(env);
    } catch {
      // An invalid combination: the reads before it still count.
    }
  }
  return [...seen].sort();
}

/**
 * Variables read outside a config module: each `env.NAME` in the TypeScript sources of these
 * packages (`['marketplace', 'service-kit']`), generated code left out.
 */
export function envReadsIn(packages: readonly string[]): string[] {
  const names = packages.flatMap((name) => {
    const folder = join(REPOSITORY_ROOT, 'packages', name, 'src');
    return readdirSync(folder, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts') && !file.split(/[\\/]/).includes('gen'))
      .flatMap((file) => [...readFileSync(join(folder, file), 'utf8').matchAll(/\benv\.([A-Z][A-Z0-9_]+)/g)])
      .map((match) => match[1] as string);
  });
  return [...new Set(names)].sort();
}
