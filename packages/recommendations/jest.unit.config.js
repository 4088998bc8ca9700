// `make unit`: the in-process suites. `make test` also runs these: test/interop drives a Python
// client, test/fuzz runs fast-check properties for minutes, and the two store suites start a
// redis-server (the embedded store keeps its own suite here).
module.exports = {
  ...require('./jest.config.js'),
  testPathIgnorePatterns: [
    '/node_modules/',
    '<rootDir>/test/interop/',
    '<rootDir>/test/fuzz/',
    '<rootDir>/test/store/redis-store.test.ts',
    '<rootDir>/test/store/event-store-contract.test.ts',
  ],
};
