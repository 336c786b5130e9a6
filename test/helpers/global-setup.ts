import 'reflect-metadata';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { Client } from 'pg';
import { migrations } from '../../migrations';
import { createDataSource } from '../../src/database/data-source';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';
import { OWNER_ROLE } from '../../src/database/roles';

export const TEMPLATE_DB = 'harbourwatch_template';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

/**
 * One real Postgres per `jest` run: migrations are applied once to a template database, and every e2e
 * file clones it (CREATE DATABASE ... TEMPLATE, milliseconds) so files never share state.
 */
export default async function globalSetup(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'harbourwatch-test-'));
  // mkdtemp makes it private; the cluster runs as the postgres system user on root machines.
  chmodSync(dataDir, 0o755);
  const pg = await startEmbeddedPostgres({ dataDir: join(dataDir, 'pg'), port: await freePort(), persistent: false });
  const admin = new Client({ connectionString: pg.superuser });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${TEMPLATE_DB} OWNER ${OWNER_ROLE}`);
  await admin.end();
  const ds = createDataSource(pg.owner.replace(/\/[^/]+$/, `/${TEMPLATE_DB}`), { entities: [], migrations }, 2);
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  await ds.destroy();
  process.env.TEST_PG_SUPERUSER_URL = pg.superuser;
  process.env.TEST_PG_OWNER_URL = pg.owner;
  process.env.TEST_PG_APP_URL = pg.app;
  process.env.TEST_DATA_DIR = dataDir;
  (globalThis as { __embeddedPg?: typeof pg }).__embeddedPg = pg;
}
