import { signingKey } from '../../src/audit/audit-chain';
import { verifyAuditTrail } from '../../src/audit/audit-verifier';
import { TestApp } from './test-app';

/** Verifies the whole trail as `npm run audit:verify` does: the owner's connection, the app's key. */
export const verifyTrail = (t: TestApp) => verifyAuditTrail(t.dataSource, t.config.auditSigningKeys.map(signingKey));

/** Runs `sql` as the schema owner with the append-only triggers off: an attacker with full database access. */
export async function tamper(t: TestApp, sql: string, params: unknown[] = []): Promise<void> {
  await t.dataSource.transaction(async (em) => {
    await em.query(`ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_delete`);
    await em.query(`ALTER TABLE audit_checkpoints DISABLE TRIGGER audit_checkpoints_no_update_delete`);
    await em.query(sql, params);
    await em.query(`ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update_delete`);
    await em.query(`ALTER TABLE audit_checkpoints ENABLE TRIGGER audit_checkpoints_no_update_delete`);
  });
}
