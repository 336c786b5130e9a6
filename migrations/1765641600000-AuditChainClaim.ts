import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../src/database/roles';

/**
 * Taking the audit chain's lock and reading its head in one round trip (AuditService). A volatile
 * function runs each statement on a new snapshot, so the head is read after the lock is held: an
 * append committed by the previous holder is always seen, and the chain cannot fork.
 */
export class AuditChainClaim1765641600000 implements MigrationInterface {
  name = 'AuditChainClaim1765641600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION audit_chain_claim(p_lock bigint, OUT seq bigint, OUT hash text) LANGUAGE plpgsql VOLATILE
        SET search_path = public, pg_temp AS $$
      BEGIN
        PERFORM pg_advisory_xact_lock(p_lock);
        SELECT h.seq, h.hash INTO seq, hash FROM audit_chain_head() h;
      END $$`);
    await q.query(`REVOKE ALL ON FUNCTION audit_chain_claim(bigint) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION audit_chain_claim(bigint) TO ${APP_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION audit_chain_claim(bigint)`);
  }
}
