import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { preProcessFile } from 'typescript';

/**
 * The folders of src/ from the bottom up (ARCHITECTURE.md §7). A folder imports only folders above it
 * in this list, never one below, and no folders import each other in a circle: where a lower folder must
 * react to a higher one, it owns an event or an interface and the higher one subscribes or implements it.
 */
const LAYERS: readonly { folder: string; why: string }[] = [
  { folder: 'config', why: 'the environment, validated at start: everything reads it, it reads nothing of ours' },
  {
    folder: 'shared',
    why: 'pure rules the console imports too (routes, indicator formats, UN/LOCODEs): no imports of ours',
  },
  {
    folder: 'common',
    why: 'the vocabulary every domain speaks: errors, the actor, roles and types, TLP, checks, the request context',
  },
  { folder: 'database', why: 'connections, the request transaction and row-level security settings; names no domain' },
  { folder: 'outbox', why: 'durable jobs and mail: every domain that tells someone sends through it' },
  { folder: 'audit', why: "the audit trail's write side: every mutation and sensitive read appends to it" },
  { folder: 'sharing', why: 'the one home of authorization: every domain asks its ability' },
  { folder: 'auth', why: 'sessions and machine clients, built on the ability (API keys read as their organisation)' },
  { folder: 'organisations', why: 'organisations and members: invitations open sessions through auth' },
  {
    folder: 'identity',
    why: "organisations' own identity providers: they open sessions through auth and memberships in organisations",
  },
  { folder: 'bulletins', why: 'the alerts themselves, with their event log' },
  {
    folder: 'correlation',
    why: 'bulletins related by shared values, matched when read under the reader’s ability; authors told',
  },
  { folder: 'subscriptions', why: 'what each person asked to hear about bulletins' },
  { folder: 'notifications', why: 'telling people and systems about bulletins, by their subscriptions' },
  { folder: 'vetting', why: 'vetting-status records of port staff' },
  { folder: 'whistleblowing', why: 'anonymous reports; a case may become a draft bulletin' },
  { folder: 'audit-trail', why: "the audit desk: reading any domain's events as the ability allows" },
  {
    folder: 'data-protection',
    why: 'the register of processing, from every entity’s declaration, and the retention of what no domain purges',
  },
  { folder: 'interop', why: 'STIX, TAXII and CAP: other formats of the domains above' },
  {
    folder: 'federation',
    why: 'peer instances: what crosses to and from them, decided by the same ability as for our own readers',
  },
  { folder: 'realtime', why: 'bulletins as they are published, to subscribers over graphql-ws' },
  { folder: 'console', why: "serves the web console's pages" },
  { folder: 'operations', why: 'health, metrics, logs, shutdown, the cluster primary: watches everything' },
  { folder: 'migrations', why: "the schema's history (outside src/): only the root and the command-line tools run it" },
  { folder: 'cli', why: 'command-line tools over the database' },
  { folder: '(root)', why: 'entities.ts, app.module.ts, bootstrap.ts, main.ts: the only files that name every domain' },
];

const ROOT = resolve(__dirname, '..');
const SRC = join(ROOT, 'src');
const RANK = new Map(LAYERS.map(({ folder }, i) => [folder, i]));

type Sources = Map<string, string>; // path from the repository's root -> text

/** The layer of a path from the repository's root: its folder under src/, or migrations. */
function folderOf(path: string): string {
  const parts = path.split('/');
  if (parts[0] === 'migrations') return 'migrations';
  if (parts[0] !== 'src') return parts[0];
  return parts.length === 2 ? '(root)' : parts[1];
}

/** Every relative import, export-from, dynamic import and require of each file, as paths from the root. */
function importsOf(sources: Sources): { from: string; to: string }[] {
  return [...sources].flatMap(([from, text]) =>
    preProcessFile(text, true, true)
      .importedFiles.map((f) => f.fileName)
      .filter((spec) => spec.startsWith('.'))
      .map((spec) => ({
        from,
        to: relative(ROOT, resolve(ROOT, dirname(from), spec))
          .split(sep)
          .join('/'),
      })),
  );
}

/** Imports that go down the list or to a folder it does not know, and folders that import each other in a circle. */
export function layerViolations(sources: Sources): string[] {
  const problems: string[] = [];
  const edges = new Map<string, Set<string>>();
  for (const { from, to } of importsOf(sources)) {
    const [a, b] = [folderOf(from), folderOf(to)];
    if (a === b) continue;
    for (const folder of [a, b]) if (!RANK.has(folder)) problems.push(`${folder} is in no layer (${from} -> ${to})`);
    if (RANK.has(a) && RANK.has(b) && RANK.get(b)! > RANK.get(a)!) problems.push(`${from} imports ${to}, above it`);
    if (!edges.has(a)) edges.set(a, new Set());
    edges.get(a)!.add(b);
  }
  for (const cycle of cycles(edges)) problems.push(`folders import each other in a circle: ${cycle.join(' -> ')}`);
  return [...new Set(problems)];
}

/** Strongly connected components of more than one folder (Tarjan). */
function cycles(edges: Map<string, Set<string>>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      component.unshift(w);
    } while (w !== v);
    if (component.length > 1) found.push(component);
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return found;
}

function read(dir: string, pattern: RegExp): Sources {
  const sources: Sources = new Map();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !pattern.test(entry.name)) continue;
    const path = join(entry.parentPath, entry.name);
    sources.set(relative(ROOT, path).split(sep).join('/'), readFileSync(path, 'utf8'));
  }
  return sources;
}

describe('layers', () => {
  it('every import in src/ and migrations/ points down the layer order, and no folders import each other in a circle', () => {
    const sources = new Map([...read(SRC, /\.ts$/), ...read(join(ROOT, 'migrations'), /\.ts$/)]);
    expect(layerViolations(sources)).toEqual([]);
  });

  it('lists every folder of src/', () => {
    const folders = readdirSync(SRC, { withFileTypes: true }).filter((e) => e.isDirectory());
    expect(folders.map((e) => e.name).filter((name) => !RANK.has(name))).toEqual([]);
  });

  it('finds an import against the order, a folder it does not know, and a circle', () => {
    const sources: Sources = new Map([
      ['src/database/pool.ts', `import { Bulletin } from '../bulletins/bulletin.entity';`],
      ['src/bulletins/bulletin.entity.ts', `import type { Pool } from '../database/pool';`],
      ['src/common/errors.ts', `export { Helper } from '../helpers/helper';`],
      ['src/sharing/tlp.ts', `const c = import('../common/errors.js');`],
    ]);
    expect(layerViolations(sources)).toEqual([
      'src/database/pool.ts imports src/bulletins/bulletin.entity, above it',
      'helpers is in no layer (src/common/errors.ts -> src/helpers/helper)',
      'folders import each other in a circle: database -> bulletins',
    ]);
  });

  it('the console imports from the server only the pure rules of src/shared, which import nothing', () => {
    const web = importsOf(read(join(ROOT, 'web', 'src'), /\.tsx?$/));
    const server = web.filter(({ to }) => !to.startsWith('web/'));
    expect(server.filter(({ to }) => !to.startsWith('src/shared/'))).toEqual([]);
    expect(importsOf(read(join(SRC, 'shared'), /\.ts$/))).toEqual([]);
  });
});
