import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../src/database/roles';

/**
 * A changed agreement is weighed again against everything the peer holds: each bulletin in its
 * delivery set is queued again at its current version as a RECHECK, for which the feed sends a tombstone
 * if the peer may no longer have it, and nothing if it may (it has it).
 */
export class FederationRequeue1769356800000 implements MigrationInterface {
  name = 'FederationRequeue1769356800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE federation_outbox DROP CONSTRAINT federation_outbox_kind_check`);
    await q.query(`ALTER TABLE federation_outbox ADD CONSTRAINT federation_outbox_kind_check
                   CHECK (kind IN ('VERSION', 'RETRACTED', 'RECHECK'))`);
    await q.query(`
      CREATE FUNCTION federation_requeue(peer uuid) RETURNS int
        LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        WITH queued AS (
          INSERT INTO federation_outbox (peer_id, bulletin_id, version, kind)
          SELECT d.peer_id, d.bulletin_id, b.version, 'RECHECK' FROM federation_deliveries d
            JOIN bulletins b ON b.id = d.bulletin_id AND b.status <> 'DRAFT'
           WHERE d.peer_id = peer AND NOT d.withdrawn
          RETURNING 1)
        SELECT count(*)::int FROM queued
      $$`);
    await q.query(`REVOKE ALL ON FUNCTION federation_requeue(uuid) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION federation_requeue(uuid) TO ${APP_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION federation_requeue(uuid)`);
    await q.query(`DELETE FROM federation_outbox WHERE kind = 'RECHECK'`);
    await q.query(`ALTER TABLE federation_outbox DROP CONSTRAINT federation_outbox_kind_check`);
    await q.query(`ALTER TABLE federation_outbox ADD CONSTRAINT federation_outbox_kind_check
                   CHECK (kind IN ('VERSION', 'RETRACTED'))`);
  }
}
