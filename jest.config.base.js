// Shared jest settings: TypeScript through swc (types are checked by `make typecheck`, not here).
const swc = [
  '@swc/jest',
  { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': swc,
    // cookie 2 (under fastify's inject) ships only ESM; jest on Node 20 cannot require ESM, so
    // it is compiled to CommonJS here. Node itself loads it natively (require(esm), Node >= 20.19).
    '/node_modules/\\.pnpm/cookie@[^/]+/node_modules/cookie/.+\\.js$': swc,
  },
  transformIgnorePatterns: ['/node_modules/(?!(\\.pnpm/cookie@|cookie/))'],
  testTimeout: 30000,
};
