import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';

/**
 * A dump of one database: `pg_dump` when the machine has one of the server's major version (Debian's
 * client may be older than the embedded server, and pg_dump refuses newer servers); otherwise every
 * row of every table in every schema as text, which is what pg_dump's data section holds.
 */
export async function dumpDatabase(url: string): Promise<{ tool: string; text: string }> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const [{ server_version_num }] = (await client.query(`SHOW server_version_num`)).rows;
    const serverMajor = Math.floor(Number(server_version_num) / 10_000);
    const version = spawnSync('pg_dump', ['--version'], { encoding: 'utf8' });
    if (!version.error && Number(/(\d+)\./.exec(version.stdout)?.[1]) === serverMajor) {
      const dump = spawnSync('pg_dump', ['--dbname', url], { encoding: 'utf8', maxBuffer: 1 << 30 });
      if (dump.status !== 0) throw new Error(`pg_dump failed: ${dump.stderr}`);
      return { tool: 'pg_dump', text: dump.stdout };
    }
    const tables = (
      await client.query(
        `SELECT format('%I.%I', table_schema, table_name) AS name FROM information_schema.tables
        WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`,
      )
    ).rows as { name: string }[];
    const parts: string[] = [];
    for (const { name } of tables) {
      const rows = (await client.query(`SELECT t::text AS row FROM ${name} t`)).rows as { row: string }[];
      parts.push(`-- ${name}\n${rows.map((r) => r.row).join('\n')}`);
    }
    return {
      tool: `row dump of ${tables.length} tables (no pg_dump ${serverMajor} on this machine)`,
      text: parts.join('\n'),
    };
  } finally {
    await client.end();
  }
}

/** Which of `needles` occur anywhere in the cluster's files (tables, indexes, WAL) under `dir`. */
export function filesContaining(dir: string, needles: string[]): string[] {
  const found = new Set<string>();
  const visit = (path: string) => {
    for (const entry of readdirSync(path)) {
      const full = join(path, entry);
      const stat = statSync(full, { throwIfNoEntry: false });
      if (!stat) continue;
      if (stat.isDirectory()) visit(full);
      else if (stat.isFile()) {
        const bytes = readFileSync(full);
        for (const needle of needles) if (bytes.includes(needle)) found.add(needle);
      }
    }
  };
  visit(dir);
  return [...found];
}
