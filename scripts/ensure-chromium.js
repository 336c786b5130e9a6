#!/usr/bin/env node
// `npm test` runs the reporter pages in a real browser: Debian's Chromium, driven by playwright-core
// (which downloads no browser). Installs it when missing and allowed (root with apt), else says how.
const { accessSync, constants } = require('node:fs');
const { execFileSync } = require('node:child_process');

const path = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const present = () => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

if (!present()) {
  const canInstall =
    process.getuid?.() === 0 &&
    (() => {
      try {
        execFileSync('apt-get', ['--version'], { stdio: 'ignore' });
        return true;
      } catch {
        return false;
      }
    })();
  if (!canInstall) {
    console.error(
      `The browser tests need Chromium at ${path}: run \`sudo apt-get install chromium\` (or set CHROMIUM_PATH), then npm test again.`,
    );
    process.exit(1);
  }
  console.log("Installing Debian's chromium for the browser tests (once)...");
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], { stdio: 'inherit', env });
  if (!present()) {
    console.error(`apt-get installed chromium, but ${path} is still missing: set CHROMIUM_PATH.`);
    process.exit(1);
  }
}
