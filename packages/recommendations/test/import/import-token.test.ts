import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createImportTokenCheck } from '../../src/import/import-token';

describe('the import token check', () => {
  let dir: string;
  let file: string;
  let clock = 0;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'import-token-'));
    file = join(dir, 'token');
    writeFileSync(file, 'first-secret\n');
    clock = 0;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const check = () => createImportTokenCheck({ file, recheckMs: 1_000, now: () => clock });

  it('accepts the file token as a bearer token, refuses a wrong or missing one', () => {
    const tokens = check();
    expect(tokens.verdict('Bearer first-secret')).toBe('ok');
    expect(tokens.verdict('bearer first-secret')).toBe('ok');
    expect(tokens.verdict('Bearer first-secreT')).toBe('wrong');
    expect(tokens.verdict('Bearer first')).toBe('wrong');
    expect(tokens.verdict('first-secret')).toBe('missing');
    expect(tokens.verdict('Bearer ')).toBe('missing');
    expect(tokens.verdict(undefined)).toBe('missing');
  });

  it('reads a rotated token once the recheck interval has passed', () => {
    const tokens = check();
    expect(tokens.verdict('Bearer first-secret')).toBe('ok');
    writeFileSync(file, 'second-secret-longer');
    expect(tokens.verdict('Bearer second-secret-longer')).toBe('wrong'); // not re-read yet
    clock += 1_000;
    expect(tokens.verdict('Bearer second-secret-longer')).toBe('ok');
    expect(tokens.verdict('Bearer first-secret')).toBe('wrong');
  });

  it('refuses every token while the file is missing or empty', () => {
    const tokens = check();
    rmSync(file);
    expect(tokens.verdict('Bearer first-secret')).toBe('wrong');
    writeFileSync(file, '  \n');
    clock += 1_000;
    expect(tokens.verdict('Bearer first-secret')).toBe('wrong');
  });

  it('is off for everyone without a file', () => {
    expect(createImportTokenCheck({ file: undefined }).verdict('Bearer anything')).toBe('imports-off');
  });
});
