import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { parseEnv } from '../config/config';
import { resolveConfig } from '../config/local-secrets';
import { resolveDatabaseUrls } from '../database/open-database';
import { runCli } from './cli-context';
import { checkDeployment } from './deployment-checks';

const MARK = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL' } as const;

/** `npm run doctor`: checks this deployment's configuration, database, mail and backups; fails on a FAIL. */
runCli(async () => {
  const config = resolveConfig(parseEnv());
  const results = await checkDeployment(config, await resolveDatabaseUrls(config, new Logger('doctor')));
  for (const r of results) console.log(`${MARK[r.status]}  ${r.check}: ${r.detail}`);
  const failed = results.filter((r) => r.status === 'fail').length;
  if (failed) throw new Error(`${failed} check(s) failed`);
});
