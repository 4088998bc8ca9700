// `make unit`: the in-process suites. `make test` also runs these two folders: test/browser drives
// Chromium, and test/fuzz runs fast-check properties for minutes.
module.exports = {
  ...require('./jest.config.js'),
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/browser/', '<rootDir>/test/fuzz/'],
};
