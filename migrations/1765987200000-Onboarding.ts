import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../src/database/roles';
import { OUTBOX_SCHEMA, QUEUE } from '../src/outbox/outbox-queues';

/**
 * Onboarding and durable invitations:
 * - an invitation can be revoked (and is then never redeemed), and a resend gives it a new token;
 * - a platform administrator may invite the first admin of an organisation that has no member yet,
 *   and nothing else (organisation_has_members, SECURITY DEFINER: memberships of other organisations
 *   are hidden from the caller);
 * - invitation e-mails go through the outbox (queue `invitation-email`): `invitation_mail` gives the
 *   worker, which acts as nobody, what the e-mail needs, only while the invitation is pending and its
 *   token is still the one the job carries (a resend or a revocation makes older jobs send nothing).
 */
export class Onboarding1765987200000 implements MigrationInterface {
  name = 'Onboarding1765987200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE invitations ADD COLUMN revoked_at timestamptz`);
    await q.query(invitationByToken('AND i.revoked_at IS NULL'));
    await q.query(`
      CREATE FUNCTION organisation_has_members(p_org uuid) RETURNS boolean
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT EXISTS (SELECT 1 FROM memberships WHERE organisation_id = p_org)
      $$`);
    await q.query(`
      CREATE FUNCTION invitation_mail(p_id uuid, p_hash bytea)
        RETURNS TABLE (email text, role text, organisation text, expires_at timestamptz)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT i.email::text, i.role, o.name, i.expires_at
          FROM invitations i JOIN organisations o ON o.id = i.organisation_id AND o.status = 'ACTIVE'
         WHERE i.id = p_id AND i.token_hash = p_hash
           AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > now()
      $$`);
    for (const fn of ['organisation_has_members(uuid)', 'invitation_mail(uuid, bytea)']) {
      await q.query(`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`);
      await q.query(`GRANT EXECUTE ON FUNCTION ${fn} TO ${APP_ROLE}`);
    }
    // A platform administrator's first invitation into an organisation without members, and only that.
    await q.query(`
      CREATE POLICY invitations_onboarding ON invitations FOR ALL
        USING (app_is_platform_admin() AND role = 'ORG_ADMIN' AND NOT organisation_has_members(organisation_id))
        WITH CHECK (app_is_platform_admin() AND role = 'ORG_ADMIN' AND NOT organisation_has_members(organisation_id))`);
    await q.query(`SELECT ${OUTBOX_SCHEMA}.create_queue($1, $2::json)`, [
      QUEUE.invitationEmail,
      JSON.stringify({ policy: 'standard', retryLimit: 8, retryDelay: 30, retryBackoff: true }),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`SELECT ${OUTBOX_SCHEMA}.delete_queue($1)`, [QUEUE.invitationEmail]);
    await q.query(`DROP POLICY invitations_onboarding ON invitations`);
    await q.query(`DROP FUNCTION invitation_mail(uuid, bytea)`);
    await q.query(`DROP FUNCTION organisation_has_members(uuid)`);
    await q.query(invitationByToken(''));
    await q.query(`ALTER TABLE invitations DROP COLUMN revoked_at`);
  }
}

/** auth_invitation_by_token (TenantIsolation migration) with `pending` added to its condition. */
const invitationByToken = (pending: string) => `
  CREATE OR REPLACE FUNCTION auth_invitation_by_token(p_hash bytea)
    RETURNS TABLE (id uuid, organisation_id uuid, email citext, role text)
    LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT i.id, i.organisation_id, i.email, i.role
      FROM invitations i JOIN organisations o ON o.id = i.organisation_id AND o.status = 'ACTIVE'
     WHERE i.token_hash = p_hash AND i.accepted_at IS NULL AND i.expires_at > now() ${pending}
     FOR UPDATE OF i
  $$`;
