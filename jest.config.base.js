// Shared jest settings: TypeScript through swc (types are checked by `make typecheck`, not here).
const swc = [
  '@swc/jest',
  { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
];

// Dependencies (of fastify and its plugins) published only as ESM. Jest's CommonJS module loader
// cannot require ESM (it does not go through Node's require(esm)), so they are compiled to
// CommonJS for tests; Node itself loads them natively.
const ESM_ONLY = ['cookie', 'content-disposition'];
const esm = ESM_ONLY.join('|');

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': swc,
    [`/node_modules/\\.pnpm/(${esm})@[^/]+/node_modules/(${esm})/.+\\.js$`]: swc,
  },
  transformIgnorePatterns: [`/node_modules/(?!(\\.pnpm/(${esm})@|(${esm})/))`],
  testTimeout: 30000,
};
