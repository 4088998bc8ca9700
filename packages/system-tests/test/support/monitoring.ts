import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** What this file reads of a lezer syntax tree. */
interface TreeCursor {
  readonly type: { readonly name: string; readonly isError: boolean };
  readonly from: number;
  readonly to: number;
  next(): boolean;
  firstChild(): boolean;
  parent(): boolean;
}
// The Prometheus UI's own PromQL grammar. It ships CommonJS (dist/index.cjs) but ESM-only typings,
// which a CommonJS test file cannot import: required, with the little it uses typed above.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parser } = require('@prometheus-io/lezer-promql') as {
  parser: { parse(input: string): { cursor(): TreeCursor } };
};

export const ROOT = join(__dirname, '..', '..', '..', '..');
export const MONITORING = join(ROOT, 'monitoring');
export const RULES_DIR = join(MONITORING, 'rules');
export const RULE_TESTS_DIR = join(MONITORING, 'tests');
export const DASHBOARDS_DIR = join(MONITORING, 'dashboards');

export interface Rule {
  record?: string;
  alert?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
export interface RuleGroup {
  name: string;
  interval?: string;
  rules: Rule[];
}

/** The shipped rule files, by file name. */
export function ruleFiles(dir = RULES_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => join(dir, f));
}

export function loadGroups(files = ruleFiles()): RuleGroup[] {
  return files.flatMap((f) => (parse(readFileSync(f, 'utf8')) as { groups: RuleGroup[] }).groups);
}

/**
 * Runs promtool. Missing promtool is an error that names the fix, never a skipped test:
 * `make test` installs it (scripts/install-system-deps.sh).
 */
export function promtool(args: string[]): { status: number; output: string } {
  const run = spawnSync('promtool', args, { encoding: 'utf8', cwd: MONITORING });
  if (run.error)
    throw new Error(
      `promtool is required (Debian: apt-get install prometheus; make system-deps): ${run.error.message}`,
    );
  return { status: run.status ?? -1, output: `${run.stdout}${run.stderr}` };
}

/** Whether a binary from Debian's prometheus package is on PATH, failing loudly when not. */
export function requireBinary(name: 'prometheus' | 'promtool'): string {
  try {
    return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
  } catch {
    throw new Error(`${name} is required (Debian: apt-get install prometheus; make system-deps)`);
  }
}

/** The metric names a PromQL expression selects, or the syntax errors it has. */
export function selectedMetrics(expr: string): { names: string[]; errors: string[] } {
  const names = new Set<string>();
  const errors: string[] = [];
  const cursor = parser.parse(expr).cursor();
  const node = (): string => cursor.type.name;
  do {
    if (cursor.type.isError)
      errors.push(`syntax error at ${cursor.from}: "${expr.slice(cursor.from, cursor.to + 10)}"`);
    // A selector's metric name is its first child; `{__name__=…}` selectors are not used here.
    if (node() === 'VectorSelector' && cursor.firstChild()) {
      if (node() === 'Identifier') names.add(expr.slice(cursor.from, cursor.to));
      cursor.parent();
    }
  } while (cursor.next());
  return { names: [...names], errors };
}

/** The groups with every `for` replaced by `duration`: alerts observable within a test's time. */
export function withFor(groups: RuleGroup[], duration: string): RuleGroup[] {
  return groups.map((g) => ({
    ...g,
    rules: g.rules.map((r) => (r.for === undefined ? r : { ...r, for: duration })),
  }));
}
