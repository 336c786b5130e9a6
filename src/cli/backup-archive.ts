import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { Client } from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { migrations } from '../../migrations';
import { AppConfig } from '../config/config';
import { createDataSource } from '../database/data-source';

/**
 * A backup is a directory: manifest.json and one gzipped COPY file per table. The schema itself is not
 * in it: a restore rebuilds it with the migrations up to the backup's level, loads the rows, then runs
 * the newer ones, so the schema always equals the code's (and an old backup restores into a new
 * release). COPY's text format reads back on any later PostgreSQL, unlike a pg_dump that must be at
 * least the server's version.
 */
const FORMAT = 'harbourwatch-backup/1';

/** Everything in public but TypeORM's migrations table, and the outbox's jobs (its queues come from migrations). */
const TABLES = `
  SELECT n.nspname AS schema, c.relname AS name
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition
     AND ((n.nspname = 'public' AND c.relname <> 'migrations') OR (n.nspname = 'pgboss' AND c.relname = 'job'))
   ORDER BY 1, 2`;

interface TableEntry {
  schema: string;
  name: string;
  columns: string[];
  rows: number;
  file: string;
  sha256: string;
}

export interface BackupManifest {
  format: typeof FORMAT;
  createdAt: string;
  postgres: string;
  /** Migrations applied, in order: the schema the rows fit. */
  migrations: string[];
  tables: TableEntry[];
  sequences: { schema: string; name: string; lastValue: string | null }[];
  /** Which keys the rows need (fingerprints, never the keys): a restore elsewhere must bring the same ones. */
  keys: Record<string, string>;
}

/** Keys without which restored rows cannot be read or verified; a restore refuses others. */
const NEEDED_KEYS = ['ENCRYPTION_KEY', 'VETTING_PSEUDONYM_KEY', 'AUDIT_SIGNING_KEY'] as const;

const fingerprint = (name: string, key: Buffer | string) =>
  createHash('sha256').update(`harbourwatch key fingerprint\0${name}\0`).update(key).digest('hex').slice(0, 16);

/** The configured keys' fingerprints: say whether two keys are the same, reveal nothing of either. */
export function keyFingerprints(config: AppConfig): Record<string, string> {
  return Object.fromEntries(
    Object.entries(configuredKeys(config)).map(([name, [key]]) => [name, fingerprint(name, key)]),
  );
}

/** Each key with those a rotation replaced (still read with): a backup taken before a rotation restores after it. */
function configuredKeys(config: AppConfig): Record<string, (Buffer | string)[]> {
  return {
    ENCRYPTION_KEY: config.encryptionKeys,
    JWT_SECRET: config.jwtSecrets,
    VETTING_PSEUDONYM_KEY: config.pseudonymKeys,
    AUDIT_SIGNING_KEY: config.auditSigningKeys,
  };
}

const quoted = (schema: string, name: string) => `"${schema}"."${name}"`;

async function columnsOf(client: Client, schema: string, name: string): Promise<string[]> {
  const { rows } = await client.query<{ attname: string }>(
    `SELECT a.attname FROM pg_attribute a
      WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
      ORDER BY a.attnum`,
    [quoted(schema, name)],
  );
  return rows.map((r) => r.attname);
}

/** Hashes what passes through. */
function hashing(): { stream: PassThrough; digest: () => string } {
  const hash = createHash('sha256');
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => hash.update(chunk));
  return { stream, digest: () => hash.digest('hex') };
}

async function fileDigest(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Writes a consistent backup of the database at `ownerUrl` to `dir` (which must not exist or be empty):
 * every table read in one serializable, read-only, deferrable transaction (pg_dump's own snapshot),
 * as the owner with row-level security off, so a table it would filter fails rather than comes out short.
 */
export async function backupDatabase(ownerUrl: string, config: AppConfig, dir: string): Promise<BackupManifest> {
  // The rows hold personal data in clear (cases and identities only sealed): the operator's alone.
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if ((await readdir(dir)).length) throw new Error(`${dir} is not empty: a backup goes to a new directory`);
  const client = new Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL SERIALIZABLE READ ONLY DEFERRABLE');
    await client.query('SET LOCAL row_security = off');
    const [{ server_version: version }] = (await client.query<{ server_version: string }>(`SHOW server_version`)).rows;
    const applied = (await client.query<{ name: string }>(`SELECT name FROM migrations ORDER BY id`)).rows;
    const tables: TableEntry[] = [];
    for (const { schema, name } of (await client.query<{ schema: string; name: string }>(TABLES)).rows) {
      const columns = await columnsOf(client, schema, name);
      const file = `${schema}.${name}.copy.gz`;
      const { stream: hashed, digest } = hashing();
      const copy = client.query(
        copyTo(`COPY (SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM ${quoted(schema, name)}) TO STDOUT`),
      );
      await pipeline(copy, createGzip(), hashed, createWriteStream(join(dir, file), { flags: 'wx', mode: 0o600 }));
      tables.push({ schema, name, columns, rows: copy.rowCount, file, sha256: digest() });
    }
    const sequences = (
      await client.query<{ schema: string; name: string; lastValue: string | null }>(
        `SELECT schemaname AS schema, sequencename AS name, last_value::text AS "lastValue"
           FROM pg_sequences WHERE schemaname IN ('public', 'pgboss') ORDER BY 1, 2`,
      )
    ).rows;
    await client.query('COMMIT');
    const manifest: BackupManifest = {
      format: FORMAT,
      createdAt: new Date().toISOString(),
      postgres: version,
      migrations: applied.map((m) => m.name),
      tables,
      sequences,
      keys: keyFingerprints(config),
    };
    await writeFile(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`, { flag: 'wx', mode: 0o600 });
    return manifest;
  } finally {
    await client.end();
  }
}

export async function readManifest(dir: string): Promise<BackupManifest> {
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as BackupManifest;
  if (manifest.format !== FORMAT) throw new Error(`${dir} is not a Harbourwatch backup (${String(manifest.format)})`);
  return manifest;
}

/** Parents before children, so that every foreign key finds its row as the table loads. */
async function loadOrder(client: Client, tables: TableEntry[]): Promise<TableEntry[]> {
  const { rows } = await client.query<{ child: string; parent: string }>(
    `SELECT cn.nspname || '.' || c.relname AS child, pn.nspname || '.' || p.relname AS parent
       FROM pg_constraint k
       JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace cn ON cn.oid = c.relnamespace
       JOIN pg_class p ON p.oid = k.confrelid JOIN pg_namespace pn ON pn.oid = p.relnamespace
      WHERE k.contype = 'f' AND k.conrelid <> k.confrelid AND NOT c.relispartition`,
  );
  const key = (t: TableEntry) => `${t.schema}.${t.name}`;
  const ordered: TableEntry[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const byKey = new Map(tables.map((t) => [key(t), t]));
  const visit = (t: TableEntry) => {
    if (state.get(key(t)) === 'done') return;
    if (state.get(key(t)) === 'visiting') throw new Error(`foreign keys form a cycle through ${key(t)}`);
    state.set(key(t), 'visiting');
    for (const { parent } of rows.filter((r) => r.child === key(t))) {
      const p = byKey.get(parent);
      if (p) visit(p);
    }
    state.set(key(t), 'done');
    ordered.push(t);
  };
  tables.forEach(visit);
  return ordered;
}

/**
 * Restores the backup in `dir` onto the empty database at `ownerUrl`: the migrations up to the backup's
 * level, every table's rows in one transaction (triggers off, so append-only tables take their rows
 * as they were), sequences where they stood, then the code's newer migrations. Refuses a database that
 * has tables, a backup the code's migrations do not lead to, a damaged file, and keys other than the
 * backup's (the cases, pseudonyms and checkpoints would be unreadable) unless `allowOtherKeys`.
 */
export async function restoreDatabase(
  ownerUrl: string,
  config: AppConfig,
  dir: string,
  options: { allowOtherKeys?: boolean } = {},
): Promise<{ manifest: BackupManifest; laterMigrations: string[] }> {
  const manifest = await readManifest(dir);
  const code = migrations.map((m) => m.name);
  if (manifest.migrations.some((name, i) => code[i] !== name))
    throw new Error('The backup was taken at migrations this release does not have: restore it with its own release');
  const known = configuredKeys(config);
  const otherKeys = NEEDED_KEYS.filter((k) => !known[k].some((key) => fingerprint(k, key) === manifest.keys[k]));
  if (otherKeys.length && !options.allowOtherKeys)
    throw new Error(`The configured ${otherKeys.join(', ')} differ from the backup's: configure the backup's keys`);
  for (const t of manifest.tables)
    if ((await fileDigest(join(dir, t.file))) !== t.sha256)
      throw new Error(`${t.file} is damaged (its SHA-256 differs from the manifest's)`);

  const client = new Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT 1 FROM pg_tables WHERE schemaname = 'public'`);
    if (rows.length) throw new Error('The database is not empty: restore onto a new, empty database');
    const levelled = createDataSource(
      ownerUrl,
      { entities: [], migrations: migrations.slice(0, manifest.migrations.length) },
      1,
    );
    await levelled.initialize();
    await levelled.runMigrations({ transaction: 'each' }).finally(() => levelled.destroy());

    await client.query('BEGIN');
    const tables = await loadOrder(client, manifest.tables);
    const publicTables = tables.filter((t) => t.schema === 'public').map((t) => quoted(t.schema, t.name));
    for (const table of publicTables) await client.query(`ALTER TABLE ${table} DISABLE TRIGGER USER`);
    await client.query(`TRUNCATE ${tables.map((t) => quoted(t.schema, t.name)).join(', ')}`);
    for (const t of tables) {
      const copy = client.query(
        copyFrom(`COPY ${quoted(t.schema, t.name)} (${t.columns.map((c) => `"${c}"`).join(', ')}) FROM STDIN`),
      );
      await pipeline(createReadStream(join(dir, t.file)), createGunzip(), copy);
      if (copy.rowCount !== t.rows) throw new Error(`${t.file}: ${copy.rowCount} rows loaded, ${t.rows} backed up`);
    }
    for (const table of publicTables) await client.query(`ALTER TABLE ${table} ENABLE TRIGGER USER`);
    for (const s of manifest.sequences) {
      const name = quoted(s.schema, s.name);
      if (s.lastValue === null) await client.query(`SELECT setval($1, 1, false)`, [name]);
      else await client.query(`SELECT setval($1, $2::bigint, true)`, [name, s.lastValue]);
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await client.end();
  }

  const current = createDataSource(ownerUrl, { entities: [], migrations }, 1);
  await current.initialize();
  const later = await current.runMigrations({ transaction: 'each' }).finally(() => current.destroy());
  return { manifest, laterMigrations: later.map((m) => m.name) };
}
