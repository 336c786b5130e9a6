import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { parseEnv } from './config/config';
import { resolveConfig } from './config/local-secrets';
import { createApp } from './bootstrap';
import { openDatabase, resolveDatabaseUrls } from './database/open-database';
import { dataModel } from './entities';
import { announce } from './operations/announce';
import { createLogger, PinoNestLogger } from './operations/request-logging';
import { runPrimary } from './operations/cluster-primary';
import { surviveUnhandledRejections } from './operations/process-faults';
import cluster from 'node:cluster';

async function main(): Promise<void> {
  const config = resolveConfig(parseEnv());
  // The same logger before the app exists (starting the embedded database) as after.
  Logger.overrideLogger(new PinoNestLogger(createLogger(config)));
  surviveUnhandledRejections();
  const log = new Logger('Harbourwatch');
  if (config.WEB_CONCURRENCY > 1 && cluster.isPrimary) return runPrimary(config, log);
  const urls = await resolveDatabaseUrls(config, log);
  const dataSource = await openDatabase(urls, config, dataModel);
  const app = await createApp(config, dataSource);
  // A signal starts the app's shutdown (enableShutdownHooks); close() joins that same shutdown, and an
  // embedded database stops only once it is over: the app first, then the database.
  urls.stopAfter?.(
    new Promise<void>((stopped) => {
      for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => void app.close().finally(stopped));
    }),
  );
  await app.listen(config.PORT, config.HOST);
  if (!cluster.isPrimary) return; // one of several workers: the primary says where they listen
  announce(config, log);
  const [{ count }] = await dataSource.query(`SELECT count(*)::int AS count FROM users WHERE is_platform_admin`);
  if (count === 0) {
    log.warn(
      'No platform administrator yet. Next: npm run admin:create -- --email you@example.eu   (or npm run seed:demo for a demo alliance)',
    );
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
