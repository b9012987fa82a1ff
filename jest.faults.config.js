/** @type {import('jest').Config} `npm run test:faults`: the fault suite, one file at a time (it stops and kills services). */
const base = require('./jest.config');

module.exports = {
  ...base,
  roots: ['<rootDir>/test/faults'],
  testPathIgnorePatterns: [],
  globalSetup: undefined,
  globalTeardown: undefined,
  maxWorkers: 1,
  testTimeout: 15 * 60_000,
};
