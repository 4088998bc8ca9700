// `make e2e` only: tests of the compose stack (scripts/e2e.sh starts it first).
module.exports = { ...require('../../jest.config.base.js'), roots: ['<rootDir>/e2e'], testTimeout: 180000 };
