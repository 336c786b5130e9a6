import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { parseEnv } from './config/config';
import { resolveConfig } from './config/local-secrets';
import { createApp, openDatabase, resolveDatabaseUrls } from './bootstrap';

async function main(): Promise<void> {
  const log = new Logger('Harbourwatch');
  const config = resolveConfig(parseEnv());
  const dataSource = await openDatabase(await resolveDatabaseUrls(config, log), config);
  const app = await createApp(config, dataSource);
  await app.listen(config.PORT, config.HOST);
  log.log(`GraphQL at http://${config.HOST}:${config.PORT}/graphql, health at /health`);
  const [{ count }] = await dataSource.query(`SELECT count(*)::int AS count FROM users WHERE is_platform_admin`);
  if (count === 0) {
    log.warn('No platform administrator yet. Create the first one with: npm run admin:create -- --email you@example.eu');
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
