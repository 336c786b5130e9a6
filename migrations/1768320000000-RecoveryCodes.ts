import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../src/database/roles';

const RESOLVE = (secondFactor: string) => `
  CREATE FUNCTION auth_resolve_actor(p_user uuid, p_session uuid, p_org uuid)
    RETURNS TABLE (is_platform_admin boolean, totp_enabled boolean, role text, org_type text, org_ports text[],
                   enrolment_only boolean)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT u.is_platform_admin, ${secondFactor}, m.role, o.type, o.ports,
           coalesce(o.requires_phishing_resistant, false) AND NOT s.phishing_resistant
      FROM users u
      JOIN sessions s ON s.id = p_session AND s.user_id = u.id AND s.revoked_at IS NULL AND s.expires_at > now()
           AND s.organisation_id IS NOT DISTINCT FROM p_org
      LEFT JOIN memberships m ON m.user_id = u.id AND m.organisation_id = p_org
      LEFT JOIN organisations o ON o.id = m.organisation_id AND o.status = 'ACTIVE'
     WHERE u.id = p_user AND u.status = 'ACTIVE'
  $$`;

/**
 * Platform administrators: a passkey serves as their second factor as well as TOTP (auth_resolve_actor's
 * `totp_enabled` now means "has a second factor"), and one-time recovery codes (kept as keyed hashes)
 * let one who lost both sign in once to set up another.
 */
export class RecoveryCodes1768320000000 implements MigrationInterface {
  name = 'RecoveryCodes1768320000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE recovery_codes (
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        code_hash bytea NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        used_at timestamptz,
        PRIMARY KEY (user_id, code_hash)
      )`);
    await this.replace(q, `(u.totp_secret IS NOT NULL OR EXISTS (SELECT 1 FROM passkeys p WHERE p.user_id = u.id))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await this.replace(q, `u.totp_secret IS NOT NULL`);
    await q.query(`DROP TABLE recovery_codes`);
  }

  private async replace(q: QueryRunner, secondFactor: string): Promise<void> {
    await q.query(`DROP FUNCTION auth_resolve_actor(uuid, uuid, uuid)`);
    await q.query(RESOLVE(secondFactor));
    await q.query(`REVOKE ALL ON FUNCTION auth_resolve_actor(uuid, uuid, uuid) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION auth_resolve_actor(uuid, uuid, uuid) TO ${APP_ROLE}`);
  }
}
