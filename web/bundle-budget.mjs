// What a port office's laptop downloads before the login page and the feed work: the entry chunk,
// the desks of both, and everything they import, compressed as the server sends it (brotli).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export const BUDGET_BYTES = 250 * 1024;
export const FIRST_VISIT = ['index.html', 'src/desks/login/LoginPage.tsx', 'src/desks/feed/FeedPage.tsx'];

export const compress = {
  br: (data) => brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
  gz: (data) => gzipSync(data, { level: 9 }),
};

/** Writes a .br and a .gz twin of every file under `dir` whose name matches `names`: the server sends one as the browser accepts. */
export function precompress(dir, names) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) precompress(path, names);
    else if (names.test(entry.name)) {
      const data = readFileSync(path);
      writeFileSync(`${path}.br`, compress.br(data));
      writeFileSync(`${path}.gz`, compress.gz(data));
    }
  }
}

/** The JavaScript files the first visit loads, and their sizes (raw, gzip, brotli). */
export function firstVisitJavaScript(dist) {
  const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8'));
  const files = new Set();
  // A desk whose chunk a lazy part of it imports back is keyed by its file name, not its source.
  const chunkOf = (key) =>
    manifest[key] ??
    Object.values(manifest).find((c) => c.isDynamicEntry && !c.src && `${c.name}.tsx` === basename(key));
  const visit = (key) => {
    const chunk = chunkOf(key);
    if (!chunk) throw new Error(`${key} is not in the build's manifest`);
    if (files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  FIRST_VISIT.forEach(visit);
  return [...files].map((file) => {
    const data = readFileSync(join(dist, file));
    return { file, raw: data.length, gzip: compress.gz(data).length, brotli: compress.br(data).length };
  });
}
