import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { parseEnv } from '../config/config';
import { resolveConfig } from '../config/local-secrets';
import { resolveDatabaseUrls } from '../database/open-database';
import { restoreDatabase } from './backup-archive';
import { flag, runCli } from './cli-context';

/** `npm run restore -- --from DIR [--allow-other-keys]`: onto an empty database only. */
runCli(async () => {
  const log = new Logger('restore');
  const from = flag('from');
  if (!from) throw new Error('Usage: npm run restore -- --from <backup directory> [--allow-other-keys]');
  const config = resolveConfig(parseEnv());
  const { owner } = await resolveDatabaseUrls(config, log);
  const { manifest, laterMigrations } = await restoreDatabase(owner, config, from, {
    allowOtherKeys: process.argv.includes('--allow-other-keys'),
  });
  const rows = manifest.tables.reduce((sum, t) => sum + t.rows, 0);
  log.log(`Restored ${rows} rows of ${manifest.tables.length} tables taken ${manifest.createdAt}`);
  if (laterMigrations.length) log.log(`Then applied this release's newer migrations: ${laterMigrations.join(', ')}`);
});
