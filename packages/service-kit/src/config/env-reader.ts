/** Thrown when the environment is invalid; its message lists every problem, one per line. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

export interface EnvReader {
  /** A TCP port, 0-65535 (0 lets the OS choose, which tests use). */
  port(name: string, fallback: number): number;
  /** An integer within [min, max]. */
  integer(name: string, fallback: number, range: { min: number; max: number }): number;
  /** A number from 0 to 1 (a share or a probability), decimals allowed. */
  fraction(name: string, fallback: number): number;
  /** Any non-empty string. */
  string(name: string, fallback: string): string;
  /** A string that may be absent. */
  optional(name: string): string | undefined;
  /** `true`/`false` (also 1/0, yes/no). */
  boolean(name: string, fallback: boolean): boolean;
  /** One of a fixed set of values. */
  oneOf<T extends string>(name: string, values: readonly T[], fallback: T): T;
  /** Records a problem that spans several variables. */
  problem(message: string): void;
  /** Throws one ConfigError listing every problem seen so far. */
  finish(): void;
}

const TRUE = ['true', '1', 'yes'];
const FALSE = ['false', '0', 'no'];

/**
 * Reads variables from `env`, collecting problems instead of throwing at the first, so a
 * misconfigured deployment is fixed in one round. Empty values count as unset.
 */
export function createEnvReader(env: Readonly<Record<string, string | undefined>>): EnvReader {
  const problems: string[] = [];
  const raw = (name: string) => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };

  const integer: EnvReader['integer'] = (name, fallback, { min, max }) => {
    const value = raw(name);
    if (value === undefined) return fallback;
    const parsed = /^-?\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
      problems.push(`${name} must be an integer from ${min} to ${max} (got "${value}")`);
      return fallback;
    }
    return parsed;
  };

  const fraction: EnvReader['fraction'] = (name, fallback) => {
    const value = raw(name);
    if (value === undefined) return fallback;
    const parsed = /^\d*\.?\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!(parsed >= 0 && parsed <= 1)) {
      problems.push(`${name} must be a number from 0 to 1, such as 0.01 (got "${value}")`);
      return fallback;
    }
    return parsed;
  };

  return {
    integer,
    fraction,
    port: (name, fallback) => integer(name, fallback, { min: 0, max: 65535 }),
    string: (name, fallback) => raw(name) ?? fallback,
    optional: (name) => raw(name),
    boolean(name, fallback) {
      const value = raw(name)?.toLowerCase();
      if (value === undefined) return fallback;
      if (TRUE.includes(value)) return true;
      if (FALSE.includes(value)) return false;
      problems.push(`${name} must be true or false (got "${value}")`);
      return fallback;
    },
    oneOf(name, values, fallback) {
      const value = raw(name);
      if (value === undefined) return fallback;
      const match = values.find((v) => v === value);
      if (match === undefined) problems.push(`${name} must be one of ${values.join(', ')} (got "${value}")`);
      return match ?? fallback;
    },
    problem(message) {
      problems.push(message);
    },
    finish() {
      if (problems.length > 0) throw new ConfigError(problems);
    },
  };
}

/**
 * For a service's main: the loaded config, or, when the environment is invalid, one message on
 * stderr naming every problem and exit code 1 (no stack trace: nothing is wrong with the code).
 */
export function loadConfigOrExit<T>(service: string, load: (env: NodeJS.ProcessEnv) => T): T {
  try {
    return load(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`${service}: ${error.message}\n`);
    process.exit(1);
  }
}
