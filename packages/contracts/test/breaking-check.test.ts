import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Proves that the contract checks `make test` runs can fail: a scratch copy of proto/ is edited
 * in ways that break clients, and buf must report each one against the real proto/.
 */
const ROOT = join(__dirname, '..', '..', '..');
const BUF = join(ROOT, 'node_modules', '.bin', 'buf');
const PROTO_FILE = join('bookstore', 'recommendations', 'v1', 'recommendations.proto');

function breakingAgainstRepo(edit: (source: string) => string) {
  const scratch = mkdtempSync(join(tmpdir(), 'proto-'));
  try {
    cpSync(join(ROOT, 'proto'), join(scratch, 'proto'), { recursive: true });
    cpSync(join(ROOT, 'buf.yaml'), join(scratch, 'buf.yaml'));
    const file = join(scratch, 'proto', PROTO_FILE);
    writeFileSync(file, edit(readFileSync(file, 'utf8')));
    return spawnSync(BUF, ['breaking', scratch, '--against', ROOT, '--error-format', 'text'], { encoding: 'utf8' });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

describe('buf breaking', () => {
  it('passes an unchanged copy', () => {
    const result = breakingAgainstRepo((source) => source);
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('passes an added field', () => {
    const result = breakingAgainstRepo((s) =>
      s.replace('int32 max_results = 3;', 'int32 max_results = 3;\n  string locale = 4;'),
    );
    expect(result.status).toBe(0);
  });

  it('reports a deleted field', () => {
    const result = breakingAgainstRepo((s) => s.replace('  int32 max_results = 3;\n', ''));
    expect(result.status).not.toBe(0);
    expect(result.stdout).toMatch(
      /Previously present field "3" with name "max_results" on message "RecommendRequest" was deleted/,
    );
  });

  it('reports a changed field number', () => {
    const result = breakingAgainstRepo((s) => s.replace('string author = 3;', 'string author = 5;'));
    expect(result.status).not.toBe(0);
    expect(result.stdout).toMatch(/field "3" .*deleted/i);
  });

  it('fails lint on a name that breaks the STANDARD rules', () => {
    const scratch = mkdtempSync(join(tmpdir(), 'proto-'));
    try {
      cpSync(join(ROOT, 'proto'), join(scratch, 'proto'), { recursive: true });
      cpSync(join(ROOT, 'buf.yaml'), join(scratch, 'buf.yaml'));
      const file = join(scratch, 'proto', PROTO_FILE);
      writeFileSync(
        file,
        readFileSync(file, 'utf8')
          .replace('message Book {', 'message book_entry {')
          .replaceAll('Book book = 1;', 'book_entry book = 1;'),
      );
      const result = spawnSync(BUF, ['lint', scratch], { encoding: 'utf8' });
      expect(result.status).not.toBe(0);
      expect(result.stdout).toContain('should be PascalCase');
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
