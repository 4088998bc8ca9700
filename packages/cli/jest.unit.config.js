// `make unit`: the in-process suites. Every other suite here runs the built `bookstore` binary
// (dist/) as a child process, as a user would; `make test` runs them.
module.exports = {
  ...require('./jest.config.js'),
  testMatch: ['**/event-lines.test.ts'],
};
