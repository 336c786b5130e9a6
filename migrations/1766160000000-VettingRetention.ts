import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../src/database/roles';
import { OUTBOX_SCHEMA, QUEUE } from '../src/outbox/outbox-queues';

/**
 * Vetting records are personal data kept no longer than needed: each vetting authority sets how many
 * days after a record ended (expiry, end of employment, refusal or revocation) it is purged. A daily
 * job deletes what is due across all authorities (SECURITY DEFINER: no request identity) and logs a
 * count per organisation in `vetting_purges`, which only that organisation reads.
 */
export class VettingRetention1766160000000 implements MigrationInterface {
  name = 'VettingRetention1766160000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE organisations ADD COLUMN vetting_retention_days int NOT NULL DEFAULT 730
        CHECK (vetting_retention_days BETWEEN 30 AND 3650)`);
    await q.query(`ALTER TABLE vetting_records ADD COLUMN employment_ended_on date`);
    await q.query(`ALTER TABLE vetting_status_changes DROP CONSTRAINT vetting_status_changes_kind_check`);
    await q.query(`
      ALTER TABLE vetting_status_changes ADD CONSTRAINT vetting_status_changes_kind_check
        CHECK (kind IN ('RECORDED', 'STATUS_CHANGED', 'RENEWED', 'EMPLOYMENT_ENDED'))`);
    // When a record stops being needed: the earliest of its expiry, the end of employment and an
    // adverse decision; a record still pending or suspended with none of these is kept.
    await q.query(`
      CREATE FUNCTION vetting_record_ended(status text, valid_until timestamptz, employment_ended_on date,
                                           status_changed_at timestamptz)
        RETURNS timestamptz LANGUAGE sql IMMUTABLE AS $$
        SELECT LEAST(valid_until, employment_ended_on::timestamptz,
                     CASE WHEN status IN ('REFUSED', 'REVOKED') THEN status_changed_at END)
      $$`);
    await q.query(
      `GRANT EXECUTE ON FUNCTION vetting_record_ended(text, timestamptz, date, timestamptz) TO ${APP_ROLE}`,
    );
    await q.query(`
      CREATE TABLE vetting_purges (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        organisation_id uuid NOT NULL REFERENCES organisations(id),
        purged_at timestamptz NOT NULL DEFAULT now(),
        records int NOT NULL
      )`);
    await q.query(`CREATE INDEX vetting_purges_organisation_idx ON vetting_purges (organisation_id, purged_at)`);
    await q.query(`ALTER TABLE vetting_purges ENABLE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE vetting_purges FORCE ROW LEVEL SECURITY`);
    await q.query(
      `CREATE POLICY vetting_purges_own ON vetting_purges FOR SELECT USING (organisation_id = app_org_id())`,
    );
    await q.query(`
      CREATE FUNCTION vetting_purge_ended() RETURNS TABLE (organisation_id uuid, records int)
        LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        WITH doomed AS (
          DELETE FROM vetting_records v USING organisations o
           WHERE o.id = v.organisation_id
             AND vetting_record_ended(v.status, v.valid_until, v.employment_ended_on, v.status_changed_at)
                 <= now() - make_interval(days => o.vetting_retention_days)
          RETURNING v.organisation_id
        ), counted AS (
          SELECT d.organisation_id, count(*)::int AS records FROM doomed d GROUP BY 1
        ), logged AS (
          INSERT INTO vetting_purges (organisation_id, records) SELECT c.organisation_id, c.records FROM counted c
        )
        SELECT c.organisation_id, c.records FROM counted c
      $$`);
    await q.query(`REVOKE ALL ON FUNCTION vetting_purge_ended() FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION vetting_purge_ended() TO ${APP_ROLE}`);
    await q.query(`SELECT ${OUTBOX_SCHEMA}.create_queue($1, $2::json)`, [
      QUEUE.vettingRetention,
      JSON.stringify({ policy: 'standard', retryLimit: 5, retryDelay: 60, retryBackoff: true }),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`SELECT ${OUTBOX_SCHEMA}.delete_queue($1)`, [QUEUE.vettingRetention]);
    await q.query(`DROP FUNCTION vetting_purge_ended()`);
    await q.query(`DROP TABLE vetting_purges`);
    await q.query(`DROP FUNCTION vetting_record_ended(text, timestamptz, date, timestamptz)`);
    await q.query(`DELETE FROM vetting_status_changes WHERE kind = 'EMPLOYMENT_ENDED'`);
    await q.query(`ALTER TABLE vetting_status_changes DROP CONSTRAINT vetting_status_changes_kind_check`);
    await q.query(`
      ALTER TABLE vetting_status_changes ADD CONSTRAINT vetting_status_changes_kind_check
        CHECK (kind IN ('RECORDED', 'STATUS_CHANGED', 'RENEWED'))`);
    await q.query(`ALTER TABLE vetting_records DROP COLUMN employment_ended_on`);
    await q.query(`ALTER TABLE organisations DROP COLUMN vetting_retention_days`);
  }
}
