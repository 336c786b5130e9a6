import 'reflect-metadata';
import { verifyAuditChain } from '../audit/audit-verifier';
import { cliContext, runCli } from './cli-context';

runCli(async () => {
  const { dataSource } = await cliContext();
  const result = await verifyAuditChain(dataSource);
  if (result.ok) {
    console.log(`OK: ${result.count} audit events verified in ${result.milliseconds} ms`);
    return;
  }
  console.error(`BROKEN at event ${result.seq}: ${result.reason} (${result.count} events before it verified)`);
  process.exit(1);
});
