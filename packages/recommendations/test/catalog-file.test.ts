import { BookCategory } from '@bookstore/contracts';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCatalogFile } from '../src/catalog-file';
import { CatalogValidationError } from '../src/domain/catalog';

const GENERATOR = join(__dirname, '..', '..', '..', 'scripts', 'generate-catalog.js');

describe('loadCatalogFile', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'catalog-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const fileWith = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const problemsOf = (path: string) => {
    try {
      loadCatalogFile(path);
    } catch (error) {
      if (error instanceof CatalogValidationError) return { problems: error.problems, total: error.total };
      throw error;
    }
    throw new Error('expected the catalog to be refused');
  };

  it('reads what the generator writes, the same for the same seed', () => {
    const generate = (seed: string) => execFileSync(process.execPath, [GENERATOR, '3000', seed], { encoding: 'utf8' });
    expect(generate('4')).toBe(generate('4'));
    expect(generate('4')).not.toBe(generate('5'));
    const catalog = loadCatalogFile(fileWith('generated.jsonl', generate('4')));
    expect(catalog.all().length).toBe(3000);
    expect(catalog.inCategory(BookCategory.BOOK_CATEGORY_MYSTERY).length).toBe(1000);
    expect(catalog.all().at(2999)).toMatchObject({ id: 3000, title: expect.stringMatching(/ 3000$/) as string });
  });

  it('names the line and the fault of every bad line, blank lines skipped', () => {
    const lines = [
      '{"id":1,"title":"A","author":"B","category":"mystery"}',
      '{"id":2,"title":"A","author":"B","category":"science-fiction"}',
      '',
      '{"id":3,"title":"A","author":"B","category":"self-help"',
      '{"id":"4","title":"A","author":"B","category":"poetry"}',
      '[1,2]',
      '{"id":2,"title":"A","author":"B","category":"self-help"}',
      '{"id":-7,"title":" ","author":"B","category":"self-help","isbn":"x"}',
      '{"id":8,"title":"A","author":"B","category":"__proto__"}',
      '{"id":-7,"title":" ","author":"B","category":"self-help"}',
    ];
    expect(problemsOf(fileWith('bad.jsonl', lines.join('\n')))).toEqual({
      problems: [
        expect.stringMatching(/^line 4: not JSON \(/),
        'line 5: id must be a number; category must be one of mystery, science-fiction, self-help (got "poetry")',
        'line 6: not a JSON object',
        'line 8: unknown field "isbn"',
        'line 9: category must be one of mystery, science-fiction, self-help (got "__proto__")',
        'line 10: id -7 is not a positive int32',
        'line 10: needs a title and an author',
        'line 7: id 2 is used more than once',
      ],
      total: 8,
    });
  });

  it('lists 20 problems and counts the rest', () => {
    const text = Array.from({ length: 500 }, (_, i) => `{"id":${i + 1}}`).join('\n');
    const { problems, total } = problemsOf(fileWith('many.jsonl', text));
    expect(problems).toHaveLength(20);
    expect(problems[0]).toMatch(/^line 1: /);
    expect(total).toBe(503);
  });

  it('fails with the reason when the file cannot be read', () => {
    expect(() => loadCatalogFile(join(dir, 'missing.jsonl'))).toThrow(/ENOENT/);
  });
});
