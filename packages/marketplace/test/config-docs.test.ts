import { documentedVariables, envReadsIn, variablesRead } from '@bookstore/test-support';
import { loadConfig } from '../src/config';

/**
 * The documentation of the environment cannot drift from the code: docs/operations.md's two
 * tables list exactly the variables the Marketplace reads (config.ts, and tracing's
 * `env.NAME`s), the README's table a selection of them, and every default either states is the
 * one the code falls back to: setting it changes nothing.
 */
const OPERATIONS = [
  ...documentedVariables('docs/operations.md', '## Marketplace: environment', 'marketplace'),
  ...documentedVariables('docs/operations.md', '## Marketplace: security settings', 'marketplace'),
];
const README = documentedVariables('README.md', '## Configuration', 'marketplace');
const READ = [...new Set([...variablesRead(loadConfig), ...envReadsIn(['marketplace', 'service-kit'])])].sort();

describe('the marketplace environment as documented', () => {
  it('docs/operations.md lists exactly the variables the service reads', () => {
    expect(OPERATIONS.map((variable) => variable.name).sort()).toEqual(READ);
  });

  it("the README's table names only variables the service reads", () => {
    expect(README.length).toBeGreaterThan(5);
    expect(README.map((variable) => variable.name).filter((name) => !READ.includes(name))).toEqual([]);
  });

  it.each([
    ...OPERATIONS.map((v) => ['docs/operations.md', v] as const),
    ...README.map((v) => ['README.md', v] as const),
  ])('%s: %j is the default', (_file, { name, fallback }) => {
    if (fallback !== undefined) expect(loadConfig({ [name]: fallback })).toEqual(loadConfig({}));
  });
});
