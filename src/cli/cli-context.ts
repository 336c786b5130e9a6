import { Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { migrations } from '../../migrations';
import { AppConfig, parseEnv } from '../config/config';
import { resolveConfig } from '../config/local-secrets';
import { createDataSource, DataModel } from '../database/data-source';
import { resolveDatabaseUrls } from '../database/open-database';

/**
 * Config and a data source for command-line tools: they act as the database owner (migrations, setup),
 * with the entities of the tables they use.
 */
export async function cliContext(
  entities: DataModel['entities'] = [],
): Promise<{ config: AppConfig; dataSource: DataSource; log: Logger }> {
  const log = new Logger('cli');
  const config = resolveConfig(parseEnv());
  const dataSource = createDataSource((await resolveDatabaseUrls(config, log)).owner, { entities, migrations }, 2);
  await dataSource.initialize();
  return { config, dataSource, log };
}

/** `--name value` from argv. */
export function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

export function runCli(main: () => Promise<void>): void {
  main().then(
    () => process.exit(0),
    (err) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
