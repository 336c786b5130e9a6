#!/usr/bin/env node
// Builds the console into dist/web (npm start and npm test call it when web/ changed): Vite's build,
// then every asset precompressed (the server sends .br or .gz as the browser accepts), then the size
// of the first visit against its budget.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { BUDGET_BYTES, firstVisitJavaScript, precompress } from './bundle-budget.mjs';

const web = fileURLToPath(new URL('.', import.meta.url));
const dist = join(web, '..', 'dist', 'web');

await build({ configFile: join(web, 'vite.config.ts'), logLevel: 'warn' });

precompress(join(dist, 'assets'), /\.(js|css|svg)$/);

const files = firstVisitJavaScript(dist);
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
for (const f of files)
  console.log(
    `  ${f.file.padEnd(40)} ${kb(f.raw).padStart(10)}  gzip ${kb(f.gzip).padStart(9)}  brotli ${kb(f.brotli).padStart(9)}`,
  );
const brotli = files.reduce((n, f) => n + f.brotli, 0);
console.log(
  `Console built in dist/web. Login and feed load ${kb(brotli)} of compressed JavaScript (budget ${kb(BUDGET_BYTES)}).`,
);
if (brotli > BUDGET_BYTES) console.warn('Over budget: the console test fails until it is back under.');
