import { join } from 'node:path';
import { Client } from 'pg';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres';
import { DatabaseUrls } from '../src/database/roles';
import { BENCH } from './seed-bulletins';

export interface BenchDatabase extends DatabaseUrls {
  stop?: () => Promise<void>;
  /** Statements Postgres has executed so far (pg_stat_statements), when it keeps count. */
  statements: () => Promise<number | undefined>;
  /** The statements that took the most time since the last call, per call (pg_stat_statements). */
  topStatements: (limit: number) => Promise<{ query: string; calls: number; ms: number }[]>;
}

/**
 * The benchmark's own database: BENCH_DATABASE_URL, or an embedded Postgres kept in
 * DATA_DIR/bench-postgres so the seeded million bulletins survive between runs (stopped at the end of
 * each run, started by the next), with pg_stat_statements loaded to count statements per request.
 */
export async function benchDatabaseUrls(): Promise<BenchDatabase> {
  if (process.env.BENCH_DATABASE_URL) {
    const owner = process.env.BENCH_DATABASE_OWNER_URL ?? process.env.BENCH_DATABASE_URL;
    return {
      app: process.env.BENCH_DATABASE_URL,
      owner,
      statements: statementCounter(owner),
      topStatements: top(owner),
    };
  }
  const pg = await startEmbeddedPostgres({
    dataDir: join(process.env.DATA_DIR ?? '.data', `bench-postgres${scaleSuffix()}`),
    port: Number(process.env.BENCH_PG_PORT ?? 54339),
    notice: (m) => console.warn(m),
    flags: ['-c', 'shared_preload_libraries=pg_stat_statements'],
  });
  const su = new Client({ connectionString: pg.superuser });
  await su.connect();
  await su.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements').catch(() => undefined);
  await su.end();
  return { ...pg, statements: statementCounter(pg.superuser), topStatements: top(pg.superuser) };
}

/** Each scale of the data set (seed-bulletins.ts) keeps its own database; the default scale none. */
function scaleSuffix(): string {
  const { bulletins, organisations, rules } = BENCH;
  return bulletins === 1_000_000 && organisations === 1000 && rules === 300
    ? ''
    : `-${bulletins}b-${organisations}o-${rules}r`;
}

/** Sum of pg_stat_statements calls, or undefined where the extension is not loaded. */
function statementCounter(url: string): () => Promise<number | undefined> {
  return () =>
    onStatistics(url, undefined, async (client) => {
      const { rows } = await client.query<{ n: string }>('SELECT sum(calls)::bigint AS n FROM pg_stat_statements');
      return Number(rows[0].n);
    });
}

/** The heaviest statements since the previous call, which then resets the statistics. */
function top(url: string): (limit: number) => Promise<{ query: string; calls: number; ms: number }[]> {
  return (limit) =>
    onStatistics(url, [], async (client) => {
      const { rows } = await client.query<{ query: string; calls: string; ms: number }>(
        `SELECT left(regexp_replace(query, '\\s+', ' ', 'g'), 140) AS query, calls::bigint AS calls, total_exec_time AS ms
           FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT $1`,
        [limit],
      );
      await client.query('SELECT pg_stat_statements_reset()');
      return rows.map((r) => ({ query: r.query, calls: Number(r.calls), ms: r.ms }));
    });
}

/** `work` on a connection of its own; `fallback` where pg_stat_statements is not there to read. */
async function onStatistics<T>(url: string, fallback: T, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } catch {
    return fallback;
  } finally {
    await client.end();
  }
}
