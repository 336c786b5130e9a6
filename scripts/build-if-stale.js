#!/usr/bin/env node
// Build once, run many: the CLI commands and `npm start` rebuild only what is older than its sources,
// so a command after a build starts at once. `--force` (npm run build) always builds. `npm test` builds
// all three too: the browser tests need the console and the documentation site, the crash and cluster
// tests run the built server.
const { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { execFileSync } = require('node:child_process');

const root = join(__dirname, '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);

const targets = {
  server: {
    inputs: ['src', 'migrations', 'bench', 'package.json', 'tsconfig.json', 'tsconfig.build.json', 'nest-cli.json'],
    stamp: join(root, 'dist', '.build-stamp'),
    build() {
      // Only the server's own output: dist/web is the console's.
      for (const dir of ['src', 'migrations', 'bench', 'test'])
        rmSync(join(root, 'dist', dir), { recursive: true, force: true });
      execFileSync(bin('nest'), ['build'], { cwd: root, stdio: 'inherit' });
    },
  },
  console: {
    // web/ and the server files it shares (the ones its tsconfig includes from outside web/).
    inputs: [
      ...JSON.parse(readFileSync(join(root, 'web', 'tsconfig.json'), 'utf8')).include.map((path) => join('web', path)),
      'schema.graphql',
      'package.json',
    ],
    stamp: join(root, 'dist', 'web', '.build-stamp'),
    build() {
      execFileSync(process.execPath, [join(root, 'web', 'build.mjs')], { cwd: root, stdio: 'inherit' });
    },
  },
  docs: {
    // docs/ (its pages, screenshots and VitePress configuration) and the compression the console shares.
    inputs: ['docs', 'web/bundle-budget.mjs', 'package.json'],
    stamp: join(root, 'dist', 'docs', '.build-stamp'),
    build() {
      execFileSync(bin('vitepress'), ['build', 'docs'], { cwd: root, stdio: 'inherit' });
    },
  },
};

function newest(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newest(join(path, name))), stat.mtimeMs);
}

const force = process.argv.includes('--force');
const wanted = ['server', 'console', 'docs'];
for (const name of wanted) {
  const target = targets[name];
  const built = existsSync(target.stamp) ? statSync(target.stamp).mtimeMs : 0;
  if (force || target.inputs.some((input) => newest(join(root, input)) > built)) {
    if (built) console.error(`Sources of the ${name} changed since the last build: building...`);
    target.build();
    writeFileSync(target.stamp, new Date().toISOString());
  }
}
