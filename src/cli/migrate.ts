import 'reflect-metadata';
import { cliContext, runCli } from './cli-context';

runCli(async () => {
  const command = process.argv[2];
  const { dataSource, log } = await cliContext();
  if (command === 'run') {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    log.log(applied.length ? `Applied: ${applied.map((m) => m.name).join(', ')}` : 'No pending migrations');
  } else if (command === 'revert') {
    await dataSource.undoLastMigration({ transaction: 'each' });
    log.log('Reverted the last migration');
  } else {
    throw new Error('Usage: migrate run|revert');
  }
});
