import { Logger } from '@nestjs/common';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/config';
import { createDataSource, DataModel } from './data-source';
import { DatabaseUrls } from './roles';

/** DATABASE_URL (and DATABASE_OWNER_URL), or the embedded Postgres under DATA_DIR/postgres. */
export async function resolveDatabaseUrls(
  config: AppConfig,
  log: Logger,
): Promise<DatabaseUrls & { stopAfter?: (done: Promise<unknown>) => void }> {
  if (config.DATABASE_URL) return { app: config.DATABASE_URL, owner: config.DATABASE_OWNER_URL! };
  const dataDir = join(config.DATA_DIR, 'postgres');
  log.log(`DATABASE_URL is not set: starting embedded PostgreSQL in ${dataDir} on port ${config.EMBEDDED_PG_PORT}`);
  // Loaded only when needed: a server with DATABASE_URL never touches the embedded binaries.
  const { startEmbeddedPostgres } = await import('./embedded-postgres.js');
  const pg = await startEmbeddedPostgres({
    dataDir,
    port: config.EMBEDDED_PG_PORT,
    notice: (m: string) => log.warn(m),
  });
  return pg;
}

/** Any key works as long as every instance uses the same one. */
const MIGRATION_LOCK = 0x4857_4d49; // 'HWMI'

/**
 * Applies pending migrations as the owner, then connects as the application role. Instances starting
 * together take turns (a session advisory lock): the first migrates, the others find nothing to do.
 */
export async function openDatabase(urls: DatabaseUrls, config: AppConfig, model: DataModel): Promise<DataSource> {
  const owner = createDataSource(urls.owner, model, 2);
  await owner.initialize();
  const lock = owner.createQueryRunner();
  try {
    await lock.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await owner.runMigrations({ transaction: 'each' });
  } finally {
    await lock.release();
    await owner.destroy();
  }
  const dataSource = createDataSource(urls.app, model, config.DATABASE_POOL_SIZE, {
    statementTimeoutMs: config.DATABASE_STATEMENT_TIMEOUT_MS,
    idleInTransactionTimeoutMs: config.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS,
  });
  await dataSource.initialize();
  await refuseBypassingRole(dataSource);
  return dataSource;
}

/**
 * Row-level security is the backstop for tenant isolation only if the application's role cannot skip
 * it: a superuser, a BYPASSRLS role or the tables' owner (DATABASE_URL pointing at the owner) is refused.
 */
async function refuseBypassingRole(dataSource: DataSource): Promise<void> {
  const [role]: { rolname: string; bypasses: boolean }[] = await dataSource.query(
    `SELECT rolname, rolsuper OR rolbypassrls OR pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE relname = 'bulletins'), 'USAGE') AS bypasses
       FROM pg_roles WHERE rolname = current_user`,
  );
  if (role?.bypasses) {
    await dataSource.destroy();
    throw new Error(
      `DATABASE_URL connects as "${role.rolname}", which bypasses row-level security (superuser, BYPASSRLS or table owner). ` +
        'Connect the application as its own role (see docker/postgres-init.sh) and give the owner to DATABASE_OWNER_URL.',
    );
  }
}
