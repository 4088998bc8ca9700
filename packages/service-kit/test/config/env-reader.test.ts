import { ConfigError, createEnvReader } from '../../src';

describe('createEnvReader', () => {
  it('returns defaults for unset and empty variables', () => {
    const env = createEnvReader({ EMPTY: '  ' });
    expect(env.port('PORT', 50051)).toBe(50051);
    expect(env.string('EMPTY', 'x')).toBe('x');
    expect(env.boolean('FLAG', true)).toBe(true);
    expect(env.optional('NOPE')).toBeUndefined();
    expect(() => env.finish()).not.toThrow();
  });

  it('parses valid values', () => {
    const env = createEnvReader({ PORT: '8080', FLAG: 'no', LEVEL: 'debug', N: '-5' });
    expect(env.port('PORT', 1)).toBe(8080);
    expect(env.boolean('FLAG', true)).toBe(false);
    expect(env.oneOf('LEVEL', ['info', 'debug'] as const, 'info')).toBe('debug');
    expect(env.integer('N', 0, { min: -10, max: 10 })).toBe(-5);
  });

  it('reports every problem in one error', () => {
    const env = createEnvReader({ PORT: '70000', FLAG: 'maybe', LEVEL: 'loud', N: '1.5' });
    env.port('PORT', 1);
    env.boolean('FLAG', true);
    env.oneOf('LEVEL', ['info', 'debug'], 'info');
    env.integer('N', 0, { min: 0, max: 10 });
    let error: unknown;
    try {
      env.finish();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'PORT must be an integer from 0 to 65535 (got "70000")',
      'FLAG must be true or false (got "maybe")',
      'LEVEL must be one of info, debug (got "loud")',
      'N must be an integer from 0 to 10 (got "1.5")',
    ]);
  });
});

describe('fraction', () => {
  it('reads 0 to 1 with decimals and rejects anything else, naming the variable', () => {
    const env = createEnvReader({ A: '0', B: '0.01', C: '1', D: '.5', E: '1.5', F: '-0.1', G: '1/100', H: '' });
    expect(['A', 'B', 'C', 'D', 'H'].map((name) => env.fraction(name, 0.25))).toEqual([0, 0.01, 1, 0.5, 0.25]);
    for (const name of ['E', 'F', 'G']) expect(env.fraction(name, 0.25)).toBe(0.25);
    expect(() => env.finish()).toThrow(
      [
        'invalid configuration:',
        '  - E must be a number from 0 to 1, such as 0.01 (got "1.5")',
        '  - F must be a number from 0 to 1, such as 0.01 (got "-0.1")',
        '  - G must be a number from 0 to 1, such as 0.01 (got "1/100")',
      ].join('\n'),
    );
  });
});

describe('problem', () => {
  it('adds a problem that spans several variables to the same error', () => {
    const env = createEnvReader({ PORT: 'x' });
    env.port('PORT', 1);
    env.problem('A and B must be set together');
    expect(() => env.finish()).toThrow(
      'invalid configuration:\n  - PORT must be an integer from 0 to 65535 (got "x")\n  - A and B must be set together',
    );
  });
});
