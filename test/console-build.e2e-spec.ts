/**
 * The console as built and as written: its typed documents match the committed schema, the first
 * visit stays within its download budget, and every language has every string the code asks for.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const WEB = join(__dirname, '..', 'web');
const LOCALES = join(WEB, 'src', 'i18n', 'locales');

function keysOf(tree: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) =>
    typeof v === 'object' && v !== null ? keysOf(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

describe('the console build', () => {
  it('has typed documents generated from the committed schema (npm run codegen)', () => {
    expect(() =>
      execFileSync(process.execPath, [join(WEB, 'codegen.mjs'), '--check'], { stdio: 'pipe' }),
    ).not.toThrow();
  });

  it('loads at most 250 KB of compressed JavaScript for the login page and the feed', async () => {
    const { BUDGET_BYTES, firstVisitJavaScript } = await import(join(WEB, 'bundle-budget.mjs'));
    const files: { brotli: number }[] = firstVisitJavaScript(join(__dirname, '..', 'dist', 'web'));
    const total = files.reduce((n, f) => n + f.brotli, 0);
    expect(files.length).toBeGreaterThan(1);
    expect(total).toBeLessThanOrEqual(BUDGET_BYTES);
  });

  describe('translations', () => {
    const en = keysOf(JSON.parse(readFileSync(join(LOCALES, 'en.json'), 'utf8'))).sort();
    const base = new Set(en.map((k) => k.replace(/_(one|other)$/, '')));

    it.each(['nl', 'fr', 'de', 'es'])('%s has exactly the English keys', (language) => {
      const keys = keysOf(JSON.parse(readFileSync(join(LOCALES, `${language}.json`), 'utf8'))).sort();
      expect(keys).toEqual(en);
    });

    it('has every key the code asks for', () => {
      const asked = sources(join(WEB, 'src')).flatMap((file) =>
        [...readFileSync(file, 'utf8').matchAll(/\bt\('([a-zA-Z]+\.[a-zA-Z.]+)'/g)].map((m) => m[1]),
      );
      expect(asked.length).toBeGreaterThan(100);
      expect(asked.filter((key) => !base.has(key))).toEqual([]);
    });
  });
});
