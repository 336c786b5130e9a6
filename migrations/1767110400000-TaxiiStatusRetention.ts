import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../src/database/roles';
import { OUTBOX_SCHEMA, QUEUE } from '../src/outbox/outbox-queues';

/**
 * TAXII status resources are kept TAXII_STATUS_RETENTION_DAYS: a daily job deletes older ones across all
 * organisations (SECURITY DEFINER: the job has no request identity, and row-level security shows each
 * status to its poster only) and answers how many went per organisation, for its audit trail.
 */
export class TaxiiStatusRetention1767110400000 implements MigrationInterface {
  name = 'TaxiiStatusRetention1767110400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION taxii_statuses_purge(older_than interval) RETURNS TABLE (organisation_id uuid, statuses int)
        LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        WITH doomed AS (
          DELETE FROM taxii_statuses s WHERE s.request_timestamp < now() - older_than RETURNING s.organisation_id
        )
        SELECT d.organisation_id, count(*)::int FROM doomed d GROUP BY 1
      $$`);
    await q.query(`REVOKE ALL ON FUNCTION taxii_statuses_purge(interval) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION taxii_statuses_purge(interval) TO ${APP_ROLE}`);
    await q.query(`SELECT ${OUTBOX_SCHEMA}.create_queue($1, $2::json)`, [
      QUEUE.taxiiStatusRetention,
      JSON.stringify({ policy: 'standard', retryLimit: 5, retryDelay: 60, retryBackoff: true }),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`SELECT ${OUTBOX_SCHEMA}.delete_queue($1)`, [QUEUE.taxiiStatusRetention]);
    await q.query(`DROP FUNCTION taxii_statuses_purge(interval)`);
  }
}
