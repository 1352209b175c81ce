// NestJS 12 ships ESM only. Node 20 can require() it, but Jest's module system cannot, so those
// packages are transformed to CommonJS with Babel; our own TypeScript goes through ts-jest.
const esmOnly = [
  '@nestjs', 'file-type', 'load-esm', 'uid', 'strtok3', 'token-types', 'peek-readable',
  '@tokenizer', 'uint8array-extras', '@borewit', 'content-disposition',
];
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('./tsconfig.json');

module.exports = {
  testEnvironment: 'node',
  rootDir: '.',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/tests'],
  testRegex: '.*\\.(unit\\.spec|int\\.spec|e2e-spec)\\.ts$',
  moduleFileExtensions: ['ts', 'js', 'mjs', 'cjs', 'json'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.spec.json' }],
    '^.+\\.m?js$': 'babel-jest',
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' }),
  testTimeout: 30000,
  // Jest defaults to cores - 1 workers: on the 2-core machines here that is one.
  maxWorkers: 2,
};
