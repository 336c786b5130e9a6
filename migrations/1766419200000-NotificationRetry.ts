import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../src/database/roles';

/**
 * An organisation admin sends a failed e-mail again. Deliveries are updated only by their recipient
 * (row-level security), so a narrow SECURITY DEFINER function puts one FAILED delivery of the caller's
 * organisation back to PENDING and names the bulletin's author, whose identity the delivery job takes
 * (it decides again, at sending time, whether the recipient may still read the bulletin).
 */
export class NotificationRetry1766419200000 implements MigrationInterface {
  name = 'NotificationRetry1766419200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION email_retry(p_id uuid)
        RETURNS TABLE (bulletin_id uuid, author_user_id uuid, author_organisation_id uuid)
        LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        UPDATE notification_deliveries d SET status = 'PENDING'
          FROM bulletins b
         WHERE d.id = p_id AND d.status = 'FAILED' AND d.organisation_id = app_org_id() AND b.id = d.bulletin_id
        RETURNING d.bulletin_id, b.author_user_id, b.organisation_id
      $$`);
    await q.query(`REVOKE ALL ON FUNCTION email_retry(uuid) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION email_retry(uuid) TO ${APP_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION email_retry(uuid)`);
  }
}
