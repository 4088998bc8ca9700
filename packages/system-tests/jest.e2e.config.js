// `make e2e` only: tests of the compose stack (scripts/e2e.sh starts it first).
// One file at a time: they share one stack, and scale-out.test.ts changes its replica count.
module.exports = {
  ...require('../../jest.config.base.js'),
  roots: ['<rootDir>/e2e'],
  testTimeout: 180000,
  maxWorkers: 1,
};
