import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../src/database/roles';

/**
 * A retraction re-adds the bulletin's last version to feeds (as a revoked report). FeedOrder kept that
 * time on the bulletin and ordered feeds by an expression choosing between the two, which no index
 * serves: every TAXII page sorted all the versions its reader may see. Now the retraction moves the last
 * version's own `added_at` (the entry it replaces is no longer in any feed), still under the bulletin
 * events lock, so feeds read and order `bulletin_versions.added_at` alone, along its index. Versions stay
 * immutable to the application: only this SECURITY DEFINER function moves that one column, for a
 * retracted bulletin of the acting organisation.
 */
export class RetractionInFeed1767024000000 implements MigrationInterface {
  name = 'RetractionInFeed1767024000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE bulletin_versions v SET added_at = b.retraction_added_at
        FROM bulletins b
       WHERE b.id = v.bulletin_id AND b.status = 'RETRACTED' AND v.version = b.version AND b.retraction_added_at IS NOT NULL`);
    await q.query(`ALTER TABLE bulletins DROP COLUMN retraction_added_at`);
    await q.query(`
      CREATE FUNCTION readd_retracted_version(p_bulletin uuid) RETURNS void
        LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        UPDATE bulletin_versions v SET added_at = clock_timestamp()
          FROM bulletins b
         WHERE b.id = p_bulletin AND b.status = 'RETRACTED' AND b.organisation_id = app_org_id()
           AND v.bulletin_id = b.id AND v.version = b.version
      $$`);
    await q.query(`REVOKE ALL ON FUNCTION readd_retracted_version(uuid) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION readd_retracted_version(uuid) TO ${APP_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION readd_retracted_version(uuid)`);
    await q.query(`ALTER TABLE bulletins ADD COLUMN retraction_added_at timestamptz`);
    await q.query(`
      UPDATE bulletins b SET retraction_added_at = v.added_at
        FROM bulletin_versions v
       WHERE v.bulletin_id = b.id AND v.version = b.version AND b.status = 'RETRACTED'`);
  }
}
