import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../src/database/roles';

/**
 * Bulletins are kept for their organisation's retention after they ended (expired or retracted), then
 * deleted with everything that hangs on them: versions, indicators, reads, acknowledgements, responses,
 * sightings, deliveries, digest items, notices, case links and real-time events. A NULL retention is the
 * platform's default (BULLETIN_RETENTION_DAYS). One batch of bulletins per call, so the daily job never
 * holds a long transaction; SECURITY DEFINER, as the job has no request identity. Audit events keep the
 * ids of what went, and nothing else of it.
 */
export class BulletinRetention1768924800000 implements MigrationInterface {
  name = 'BulletinRetention1768924800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE organisations ADD COLUMN bulletin_retention_days int
        CHECK (bulletin_retention_days BETWEEN 1 AND 36500)`);
    await q.query(`
      CREATE INDEX bulletins_ended_idx ON bulletins ((coalesce(retracted_at, valid_until)))
       WHERE status <> 'DRAFT' AND (retracted_at IS NOT NULL OR valid_until IS NOT NULL)`);
    await q.query(`
      CREATE FUNCTION bulletins_purge_ended(default_days int, batch int)
        RETURNS TABLE (organisation_id uuid, bulletins int)
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        DECLARE
          doomed uuid[];
        BEGIN
          SELECT array_agg(b.id) INTO doomed FROM (
            SELECT b.id FROM bulletins b JOIN organisations o ON o.id = b.organisation_id
             WHERE b.status <> 'DRAFT' AND (b.retracted_at IS NOT NULL OR b.valid_until IS NOT NULL)
               AND coalesce(b.retracted_at, b.valid_until)
                   < now() - make_interval(days => coalesce(o.bulletin_retention_days, default_days))
             LIMIT batch) b;
          IF doomed IS NULL THEN RETURN; END IF;
          DELETE FROM correlation_notices n WHERE n.bulletin_id = ANY (doomed) OR n.related_bulletin_id = ANY (doomed);
          DELETE FROM notification_deliveries d WHERE d.bulletin_id = ANY (doomed);
          DELETE FROM webhook_deliveries d WHERE d.bulletin_id = ANY (doomed);
          DELETE FROM digest_items d WHERE d.bulletin_id = ANY (doomed);
          DELETE FROM bulletin_events e WHERE e.bulletin_id = ANY (doomed);
          DELETE FROM case_bulletins c WHERE c.bulletin_id = ANY (doomed);
          DELETE FROM indicator_sightings s WHERE s.bulletin_id = ANY (doomed);
          DELETE FROM bulletin_responses r WHERE r.bulletin_id = ANY (doomed);
          DELETE FROM bulletin_acknowledgements a WHERE a.bulletin_id = ANY (doomed);
          DELETE FROM bulletin_indicators i WHERE i.bulletin_id = ANY (doomed);
          DELETE FROM bulletin_versions v WHERE v.bulletin_id = ANY (doomed);
          RETURN QUERY
            WITH gone AS (DELETE FROM bulletins b WHERE b.id = ANY (doomed) RETURNING b.organisation_id)
            SELECT g.organisation_id, count(*)::int FROM gone g GROUP BY 1;
        END $$`);
    await q.query(`REVOKE ALL ON FUNCTION bulletins_purge_ended(int, int) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION bulletins_purge_ended(int, int) TO ${APP_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION bulletins_purge_ended(int, int)`);
    await q.query(`DROP INDEX bulletins_ended_idx`);
    await q.query(`ALTER TABLE organisations DROP COLUMN bulletin_retention_days`);
  }
}
