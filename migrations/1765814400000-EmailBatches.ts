import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../src/database/roles';

/**
 * E-mail is sent in batches of one event's recipients (EmailDeliveryService), in one transaction acting
 * as the bulletin's author. The recipients' deliveries, addresses and standing are theirs, not the
 * author's, so two narrow SECURITY DEFINER functions claim and settle a batch; `member_standing` is the
 * one definition of "may still receive" (an active user, still a member of an active organisation),
 * run under the caller's row-level security by SharingRepository and by `email_claim` over everyone.
 */
export class EmailBatches1765814400000 implements MigrationInterface {
  name = 'EmailBatches1765814400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION member_standing(p_user uuid, p_org uuid) RETURNS TABLE (role text, type text)
        LANGUAGE sql STABLE SET search_path = public, pg_temp AS $$
        SELECT m.role, o.type FROM users u
          JOIN memberships m ON m.user_id = u.id AND m.organisation_id = p_org
          JOIN organisations o ON o.id = m.organisation_id AND o.status = 'ACTIVE'
         WHERE u.id = p_user AND u.status = 'ACTIVE'
      $$`);
    // The batch's deliveries still PENDING, locked until the transaction ends (one sender at a time),
    // with the address and, when the recipient may still receive, its role and organisation type.
    await q.query(`
      CREATE FUNCTION email_claim(p_ids uuid[])
        RETURNS TABLE (id uuid, bulletin_id uuid, kind text, user_id uuid, organisation_id uuid, subscription_id uuid,
                       email text, role text, org_type text)
        LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT d.id, d.bulletin_id, d.kind, d.user_id, d.organisation_id, d.subscription_id, u.email::text, s.role, s.type
          FROM notification_deliveries d
          JOIN users u ON u.id = d.user_id
          LEFT JOIN LATERAL member_standing(d.user_id, d.organisation_id) s ON true
         WHERE d.id = ANY(p_ids) AND d.status = 'PENDING'
         ORDER BY d.id
           FOR UPDATE OF d
      $$`);
    // SENT and a refused attempt (PENDING with its error) count an attempt; SKIPPED and FAILED do not.
    // Only PENDING deliveries change: a delivery settled once stays as it is.
    await q.query(`
      CREATE FUNCTION email_settle(p_ids uuid[], p_status text[], p_message_ids text[], p_errors text[]) RETURNS void
        LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
        UPDATE notification_deliveries d
           SET status = r.status,
               attempts = d.attempts + CASE WHEN r.status IN ('SENT', 'PENDING') THEN 1 ELSE 0 END,
               message_id = coalesce(r.message_id, d.message_id),
               last_error = coalesce(r.error, d.last_error),
               sent_at = CASE WHEN r.status = 'SENT' THEN now() ELSE d.sent_at END
          FROM unnest(p_ids, p_status, p_message_ids, p_errors) AS r(id, status, message_id, error)
         WHERE d.id = r.id AND d.status = 'PENDING'
      $$`);
    for (const fn of ['email_claim(uuid[])', 'email_settle(uuid[], text[], text[], text[])']) {
      await q.query(`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`);
      await q.query(`GRANT EXECUTE ON FUNCTION ${fn} TO ${APP_ROLE}`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION email_settle(uuid[], text[], text[], text[])`);
    await q.query(`DROP FUNCTION email_claim(uuid[])`);
    await q.query(`DROP FUNCTION member_standing(uuid, uuid)`);
  }
}
