import type { FastifyServerOptions } from 'fastify';
import type { FastifyRouteSchemaDef } from 'fastify/types/schema';
import { createRequire } from 'node:module';

type Fn = ((...args: unknown[]) => unknown) & { errors?: unknown; schemaEnv?: unknown };
type Compiler = (routeSchema: FastifyRouteSchemaDef<unknown>) => Fn;
/** fastify's `schemaController.compilersFactory.build*` (typed by @fastify/ajv-compiler). */
type CompilerFactory = (externalSchemas: unknown, options: unknown) => Compiler;
type CompilersFactory = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;

/**
 * fastify's own validator and serializer compilers (@fastify/ajv-compiler and
 * @fastify/fast-json-stringify-compiler, the copies fastify itself would load), with their
 * loading (Ajv, fast-json-stringify) and the compiling of each route's schemas put off until a
 * request first needs them, or until `compileAll` (app.ts calls it 1 s after the server listens).
 *
 * Loading them and compiling the route schemas took ~25 % of the Marketplace's start-up CPU
 * (issue 27). The functions fastify gets forward their arguments to the compiled ones and, for
 * validators, copy `errors` back and carry `schemaEnv`, so that fastify calls them with the
 * root's parent as it calls Ajv's (defaults and coercion act the same): every answer is the one
 * the compiled function gives. `schemaEnv` is the property fastify's validation.js tests to pass
 * the parent, not a documented API: test/http/lazy-compilers.test.ts compares every kind of
 * answer with fastify's default compilers, and fails when an upgrade changes one. The routes
 * carry no `headers` schemas, the one part fastify treats differently under a custom compiler
 * (it would not lower-case their names).
 */
export function lazyCompilers(): {
  buildValidator: CompilerFactory;
  buildSerializer: CompilerFactory;
  /** Both, as fastify's `schemaController` option takes them. */
  schemaController: NonNullable<FastifyServerOptions['schemaController']>;
  compileAll: () => void;
} {
  const pending: Array<() => void> = [];
  const lazyFactory =
    (module: string, copyErrors: boolean): CompilerFactory =>
    (externalSchemas, options) => {
      let compiler: Compiler | undefined;
      const getCompiler = () => {
        if (compiler === undefined) {
          const load = createRequire(require.resolve('fastify'));
          const factory = (load(module) as () => CompilerFactory)();
          compiler = factory(externalSchemas, options);
        }
        return compiler;
      };
      return (routeSchema) => {
        let compiled: Fn | undefined;
        const compile = () => (compiled ??= getCompiler()(routeSchema));
        const lazy: Fn = (...args: unknown[]) => {
          const fn = compile();
          const result = fn(...args);
          if (copyErrors) lazy.errors = fn.errors;
          return result;
        };
        if (copyErrors) lazy.schemaEnv = true;
        pending.push(compile);
        return lazy;
      };
    };
  const buildValidator = lazyFactory('@fastify/ajv-compiler', true);
  const buildSerializer = lazyFactory('@fastify/fast-json-stringify-compiler', false);
  return {
    buildValidator,
    buildSerializer,
    schemaController: {
      compilersFactory: {
        buildValidator: buildValidator as CompilersFactory['buildValidator'],
        buildSerializer: buildSerializer as CompilersFactory['buildSerializer'],
      },
    },
    compileAll: () => {
      for (const compile of pending.splice(0)) compile();
    },
  };
}
