import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { join } from 'node:path';
import { parseEnv } from '../config/config';
import { resolveConfig } from '../config/local-secrets';
import { resolveDatabaseUrls } from '../database/open-database';
import { backupDatabase } from './backup-archive';
import { flag, runCli } from './cli-context';

/** `npm run backup [-- --to DIR]`: a consistent backup of the database, by default under DATA_DIR/backups. */
runCli(async () => {
  const log = new Logger('backup');
  const config = resolveConfig(parseEnv());
  const { owner } = await resolveDatabaseUrls(config, log);
  const dir = flag('to') ?? join(config.DATA_DIR, 'backups', new Date().toISOString().replace(/[:.]/g, '-'));
  const manifest = await backupDatabase(owner, config, dir);
  const rows = manifest.tables.reduce((sum, t) => sum + t.rows, 0);
  log.log(
    `Backed up ${rows} rows of ${manifest.tables.length} tables at migration ${manifest.migrations.at(-1)} to ${dir}`,
  );
  log.log(`Keys it needs (fingerprints): ${JSON.stringify(manifest.keys)}`);
});
