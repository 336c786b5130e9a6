import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../src/database/roles';

const RESOLVE = (extra: string, select: string) => `
  CREATE FUNCTION auth_resolve_actor(p_user uuid, p_session uuid, p_org uuid)
    RETURNS TABLE (is_platform_admin boolean, totp_enabled boolean, role text, org_type text, org_ports text[]${extra})
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT u.is_platform_admin, u.totp_secret IS NOT NULL, m.role, o.type, o.ports${select}
      FROM users u
      JOIN sessions s ON s.id = p_session AND s.user_id = u.id AND s.revoked_at IS NULL AND s.expires_at > now()
           AND s.organisation_id IS NOT DISTINCT FROM p_org
      LEFT JOIN memberships m ON m.user_id = u.id AND m.organisation_id = p_org
      LEFT JOIN organisations o ON o.id = m.organisation_id AND o.status = 'ACTIVE'
     WHERE u.id = p_user AND u.status = 'ACTIVE'
  $$`;

/**
 * An organisation may require phishing-resistant sign-in: a passkey (alone, or after the password), or
 * its identity provider when the provider says the person used one. A session records whether it began
 * so; in such an organisation a session that did not may only add the person's first passkey
 * (auth_resolve_actor answers `enrolment_only`).
 */
export class PhishingResistantSignIn1768147200000 implements MigrationInterface {
  name = 'PhishingResistantSignIn1768147200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE organisations ADD COLUMN requires_phishing_resistant boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE sessions ADD COLUMN phishing_resistant boolean NOT NULL DEFAULT false`);
    await q.query(`DROP FUNCTION auth_resolve_actor(uuid, uuid, uuid)`);
    await q.query(
      RESOLVE(
        ', enrolment_only boolean',
        ', coalesce(o.requires_phishing_resistant, false) AND NOT s.phishing_resistant',
      ),
    );
    await q.query(`REVOKE ALL ON FUNCTION auth_resolve_actor(uuid, uuid, uuid) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION auth_resolve_actor(uuid, uuid, uuid) TO ${APP_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION auth_resolve_actor(uuid, uuid, uuid)`);
    await q.query(RESOLVE('', ''));
    await q.query(`REVOKE ALL ON FUNCTION auth_resolve_actor(uuid, uuid, uuid) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION auth_resolve_actor(uuid, uuid, uuid) TO ${APP_ROLE}`);
    await q.query(`ALTER TABLE sessions DROP COLUMN phishing_resistant`);
    await q.query(`ALTER TABLE organisations DROP COLUMN requires_phishing_resistant`);
  }
}
