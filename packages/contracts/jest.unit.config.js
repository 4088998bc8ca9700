// `make unit`: the in-process suites. breaking-check.test.ts runs the buf binary on scratch copies
// of proto/; `make test` runs it.
module.exports = {
  ...require('./jest.config.js'),
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/breaking-check.test.ts'],
};
