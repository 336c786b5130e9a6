import { join } from 'node:path';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres';
import { DatabaseUrls } from '../src/database/roles';

/**
 * The benchmark's own database: BENCH_DATABASE_URL, or an embedded Postgres kept in
 * DATA_DIR/bench-postgres so the seeded million bulletins survive between runs (stopped at the end of
 * each run, started by the next).
 */
export async function benchDatabaseUrls(): Promise<DatabaseUrls & { stop?: () => Promise<void> }> {
  if (process.env.BENCH_DATABASE_URL) {
    return {
      app: process.env.BENCH_DATABASE_URL,
      owner: process.env.BENCH_DATABASE_OWNER_URL ?? process.env.BENCH_DATABASE_URL,
    };
  }
  const pg = await startEmbeddedPostgres({
    dataDir: join(process.env.DATA_DIR ?? '.data', 'bench-postgres'),
    port: Number(process.env.BENCH_PG_PORT ?? 54339),
    notice: (m) => console.warn(m),
  });
  return pg;
}
