import 'reflect-metadata';
import { signingKey } from '../audit/audit-chain';
import { verifyAuditTrail } from '../audit/audit-verifier';
import { cliContext, runCli } from './cli-context';

runCli(async () => {
  const { config, dataSource } = await cliContext();
  const result = await verifyAuditTrail(dataSource, config.auditSigningKeys.map(signingKey));
  const tally = `${result.count} audit events in ${result.chains} chains and ${result.checkpoints} signed checkpoints`;
  for (const p of result.prunes)
    console.log(
      `chain ${p.chain}: ${p.events} events pruned after their retention, through event ${p.throughSeq}, last on ${p.lastPrunedAt.toISOString()}`,
    );
  if (result.ok) {
    console.log(`OK: ${tally} verified in ${result.milliseconds} ms`);
    return;
  }
  const where = result.seq !== null ? `event ${result.seq}` : `checkpoint ${result.checkpoint}`;
  console.error(`BROKEN at ${where}: ${result.reason} (${tally} verified before it)`);
  process.exit(1);
});
