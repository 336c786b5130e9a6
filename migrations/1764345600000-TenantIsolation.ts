import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../src/database/roles';

/**
 * Tenant isolation in the database, behind the application's own checks (ARCHITECTURE.md §1):
 * - the application role, without BYPASSRLS, and its privileges;
 * - row-level security, FORCEd, on every tenant-owned table, keyed on the request transaction's
 *   settings app.user_id, app.org_id and app.platform_admin (DatabaseService). The policies state the
 *   TLP table and the sharing rules in SQL, or a superset of the CASL ability where noted;
 * - the few SECURITY DEFINER functions for steps that happen before anyone is authenticated (resolving
 *   a token, claiming a refresh token, redeeming an invitation) or that must see the whole table
 *   (the head of the audit chain). Each does one narrow thing.
 * organisations and users are not tenant-owned (the directory and the identities of the alliance) and
 * stay outside row-level security.
 */
export class TenantIsolation1764345600000 implements MigrationInterface {
  name = 'TenantIsolation1764345600000';

  async up(q: QueryRunner): Promise<void> {
    // Created here only if the operator has not (the embedded default creates it as a login role).
    await q.query(`
      DO $$ BEGIN
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
          CREATE ROLE ${APP_ROLE} NOLOGIN NOBYPASSRLS;
        END IF;
      END $$`);
    await q.query(`GRANT USAGE ON SCHEMA public TO ${APP_ROLE}`);
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${APP_ROLE}`);
    await q.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${APP_ROLE}`);
    // The audit trail: append and read only. Migrations are the owner's business.
    await q.query(`REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM ${APP_ROLE}`);
    await q.query(`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON migrations FROM ${APP_ROLE}`);
    // Tables created by later migrations get the same privileges unless they revoke them.
    await q.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${APP_ROLE}`,
    );
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${APP_ROLE}`);
    for (const statement of POLICIES) await q.query(statement);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of TENANT_TABLES) {
      await q.query(`ALTER TABLE ${table} NO FORCE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} DISABLE ROW LEVEL SECURITY`);
      for (const { policyname } of await q.query(`SELECT policyname FROM pg_policies WHERE tablename = $1`, [table])) {
        await q.query(`DROP POLICY ${policyname} ON ${table}`);
      }
    }
    for (const fn of [
      'auth_resolve_actor(uuid, uuid, uuid)',
      'auth_claim_refresh_token(bytea)',
      'auth_invitation_by_token(bytea)',
      'audit_chain_head()',
      'sharing_rules_admitting(uuid)',
      'app_user_id()',
      'app_org_id()',
      'app_is_platform_admin()',
    ]) {
      await q.query(`DROP FUNCTION ${fn}`);
    }
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE USAGE, SELECT ON SEQUENCES FROM ${APP_ROLE}`);
    await q.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE SELECT, INSERT, UPDATE, DELETE ON TABLES FROM ${APP_ROLE}`,
    );
    await q.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM ${APP_ROLE}`);
    await q.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${APP_ROLE}`);
    await q.query(`REVOKE USAGE ON SCHEMA public FROM ${APP_ROLE}`);
  }
}

const TENANT_TABLES = [
  'memberships',
  'invitations',
  'sessions',
  'refresh_tokens',
  'sharing_rules',
  'bulletins',
  'bulletin_versions',
  'bulletin_indicators',
  'bulletin_acknowledgements',
  'audit_events',
];

const ISSUED = `status IN ('PUBLISHED', 'RETRACTED')`;

const POLICIES = [
  // The request's identity, as DatabaseService sets it (empty outside a request: matches nothing).
  `CREATE FUNCTION app_user_id() RETURNS uuid LANGUAGE sql STABLE AS
     $$ SELECT nullif(current_setting('app.user_id', true), '')::uuid $$`,
  `CREATE FUNCTION app_org_id() RETURNS uuid LANGUAGE sql STABLE AS
     $$ SELECT nullif(current_setting('app.org_id', true), '')::uuid $$`,
  `CREATE FUNCTION app_is_platform_admin() RETURNS boolean LANGUAGE sql STABLE AS
     $$ SELECT coalesce(current_setting('app.platform_admin', true), '') = 'true' $$`,

  // The one definition of "a sharing rule admits an organisation": audience kinds AND-ed, values
  // within a kind OR-ed, empty kinds unconstrained; valid now; owner (if any) active. Set-based, so a
  // policy can evaluate it once per query; SECURITY DEFINER, as it must see rules the caller cannot
  // read yet. Used by the policies below and by AbilityFactory.admittingRules.
  `CREATE FUNCTION sharing_rules_admitting(org uuid) RETURNS SETOF uuid
     LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
     SELECT r.id FROM sharing_rules r
       JOIN organisations o ON o.id = org AND o.status = 'ACTIVE'
       LEFT JOIN organisations owner ON owner.id = r.organisation_id
      WHERE (r.valid_until IS NULL OR r.valid_until > now())
        AND (r.organisation_id IS NULL OR owner.status = 'ACTIVE')
        AND (cardinality(r.audience_organisation_ids) = 0 OR o.id = ANY(r.audience_organisation_ids))
        AND (cardinality(r.audience_organisation_types) = 0 OR o.type = ANY(r.audience_organisation_types))
        AND (cardinality(r.audience_ports) = 0 OR o.ports && r.audience_ports)
   $$`,

  ...TENANT_TABLES.flatMap((t) => [
    `ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY`,
    `ALTER TABLE ${t} FORCE ROW LEVEL SECURITY`,
  ]),

  // Memberships: one's own, and those of the acting organisation (members list, admin changes).
  `CREATE POLICY memberships_read ON memberships FOR SELECT
     USING (organisation_id = app_org_id() OR user_id = app_user_id())`,
  `CREATE POLICY memberships_write ON memberships FOR ALL
     USING (organisation_id = app_org_id()) WITH CHECK (organisation_id = app_org_id())`,
  `CREATE POLICY invitations_org ON invitations FOR ALL
     USING (organisation_id = app_org_id()) WITH CHECK (organisation_id = app_org_id())`,

  // Sessions: one's own; an organisation's (superset: the app lets only its admins revoke them);
  // platform admins' (suspension ends every session of the organisation).
  `CREATE POLICY sessions_access ON sessions FOR ALL
     USING (user_id = app_user_id() OR organisation_id = app_org_id() OR app_is_platform_admin())
     WITH CHECK (user_id = app_user_id() OR organisation_id = app_org_id() OR app_is_platform_admin())`,
  `CREATE POLICY refresh_tokens_own ON refresh_tokens FOR ALL
     USING (EXISTS (SELECT 1 FROM sessions s WHERE s.id = session_id AND s.user_id = app_user_id()))
     WITH CHECK (EXISTS (SELECT 1 FROM sessions s WHERE s.id = session_id AND s.user_id = app_user_id()))`,

  // Sharing rules: the organisation's own, the alliance-wide defaults, and those admitting it.
  `CREATE POLICY sharing_rules_read ON sharing_rules FOR SELECT
     USING (organisation_id IS NULL OR organisation_id = app_org_id() OR id IN (SELECT sharing_rules_admitting(app_org_id())))`,
  `CREATE POLICY sharing_rules_write ON sharing_rules FOR ALL
     USING (organisation_id = app_org_id() OR (organisation_id IS NULL AND app_is_platform_admin()))
     WITH CHECK (organisation_id = app_org_id() OR (organisation_id IS NULL AND app_is_platform_admin()))`,

  // Bulletins: the TLP table of ARCHITECTURE.md §2. Rules are seen through sharing_rules' own policy,
  // so only those admitting the acting organisation count.
  `CREATE POLICY bulletins_read ON bulletins FOR SELECT USING (
       author_user_id = app_user_id()
    OR (organisation_id = app_org_id() AND tlp <> 'RED')
    OR (${ISSUED} AND (
          (tlp IN ('CLEAR', 'GREEN') AND app_org_id() IS NOT NULL)
       OR (tlp IN ('AMBER', 'AMBER_STRICT') AND app_org_id() = ANY(recipient_organisation_ids))
       OR (tlp = 'RED' AND app_user_id() = ANY(recipient_user_ids))
       OR (tlp = 'AMBER' AND EXISTS (
            SELECT 1 FROM sharing_rules r
             WHERE r.subject = 'BULLETIN' AND r.max_tlp = 'AMBER'
               AND (r.organisation_id IS NULL OR r.organisation_id = bulletins.organisation_id)
               AND (cardinality(r.categories) = 0 OR bulletins.category = ANY(r.categories))))))
  )`,
  // Writing: within the acting organisation (superset: the app also requires the analyst/admin role).
  `CREATE POLICY bulletins_insert ON bulletins FOR INSERT
     WITH CHECK (organisation_id = app_org_id() AND author_user_id = app_user_id())`,
  `CREATE POLICY bulletins_update ON bulletins FOR UPDATE
     USING (organisation_id = app_org_id()) WITH CHECK (organisation_id = app_org_id())`,

  ...['bulletin_versions', 'bulletin_indicators'].flatMap((t) => [
    `CREATE POLICY ${t}_read ON ${t} FOR SELECT USING (EXISTS (SELECT 1 FROM bulletins b WHERE b.id = bulletin_id))`,
    `CREATE POLICY ${t}_write_insert ON ${t} FOR INSERT WITH CHECK (organisation_id = app_org_id())`,
    `CREATE POLICY ${t}_write_delete ON ${t} FOR DELETE USING (organisation_id = app_org_id())`,
  ]),
  `CREATE POLICY bulletin_acknowledgements_read ON bulletin_acknowledgements FOR SELECT
     USING (organisation_id = app_org_id()
            OR EXISTS (SELECT 1 FROM bulletins b WHERE b.id = bulletin_id AND b.organisation_id = app_org_id()))`,
  `CREATE POLICY bulletin_acknowledgements_insert ON bulletin_acknowledgements FOR INSERT
     WITH CHECK (organisation_id = app_org_id() AND user_id = app_user_id())`,

  // Audit: an organisation reads its own trail and what was done to its objects; anyone appends.
  `CREATE POLICY audit_events_read ON audit_events FOR SELECT
     USING (actor_organisation_id = app_org_id() OR subject_organisation_id = app_org_id())`,
  `CREATE POLICY audit_events_append ON audit_events FOR INSERT WITH CHECK (true)`,
  `CREATE FUNCTION audit_chain_head(OUT seq bigint, OUT hash text) LANGUAGE sql STABLE SECURITY DEFINER
     SET search_path = public, pg_temp AS
     $$ SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1 $$`,

  // Before authentication: a token's user, session, membership and organisation, checked at once.
  `CREATE FUNCTION auth_resolve_actor(p_user uuid, p_session uuid, p_org uuid)
     RETURNS TABLE (is_platform_admin boolean, totp_enabled boolean, role text, org_type text, org_ports text[])
     LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
     SELECT u.is_platform_admin, u.totp_secret IS NOT NULL, m.role, o.type, o.ports
       FROM users u
       JOIN sessions s ON s.id = p_session AND s.user_id = u.id AND s.revoked_at IS NULL AND s.expires_at > now()
            AND s.organisation_id IS NOT DISTINCT FROM p_org
       LEFT JOIN memberships m ON m.user_id = u.id AND m.organisation_id = p_org
       LEFT JOIN organisations o ON o.id = m.organisation_id AND o.status = 'ACTIVE'
      WHERE u.id = p_user AND u.status = 'ACTIVE'
   $$`,
  // Marks a refresh token used, atomically (one of two concurrent refreshes wins). A token already
  // used means it was copied: the whole session (token family) is revoked and reused = true.
  `CREATE FUNCTION auth_claim_refresh_token(p_hash bytea)
     RETURNS TABLE (session_id uuid, user_id uuid, organisation_id uuid, reused boolean)
     LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
     DECLARE claimed uuid; family uuid;
     BEGIN
       UPDATE refresh_tokens rt SET used_at = now() FROM sessions s
        WHERE rt.token_hash = p_hash AND s.id = rt.session_id AND rt.used_at IS NULL
          AND rt.expires_at > now() AND s.revoked_at IS NULL
       RETURNING rt.session_id INTO claimed;
       IF claimed IS NOT NULL THEN
         RETURN QUERY SELECT s.id, s.user_id, s.organisation_id, false FROM sessions s WHERE s.id = claimed;
         RETURN;
       END IF;
       SELECT rt.session_id INTO family FROM refresh_tokens rt WHERE rt.token_hash = p_hash AND rt.used_at IS NOT NULL;
       IF family IS NOT NULL THEN
         UPDATE sessions SET revoked_at = now(), revoke_reason = 'refresh token reuse' WHERE id = family AND revoked_at IS NULL;
         RETURN QUERY SELECT s.id, s.user_id, s.organisation_id, true FROM sessions s WHERE s.id = family;
       END IF;
     END $$`,
  // A redeemable invitation (unused, unexpired, organisation active), locked for the redeeming transaction.
  `CREATE FUNCTION auth_invitation_by_token(p_hash bytea)
     RETURNS TABLE (id uuid, organisation_id uuid, email citext, role text)
     LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
     SELECT i.id, i.organisation_id, i.email, i.role
       FROM invitations i JOIN organisations o ON o.id = i.organisation_id AND o.status = 'ACTIVE'
      WHERE i.token_hash = p_hash AND i.accepted_at IS NULL AND i.expires_at > now()
      FOR UPDATE OF i
   $$`,
  ...[
    'auth_resolve_actor(uuid, uuid, uuid)',
    'auth_claim_refresh_token(bytea)',
    'auth_invitation_by_token(bytea)',
    'audit_chain_head()',
    'sharing_rules_admitting(uuid)',
  ].flatMap((fn) => [`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`, `GRANT EXECUTE ON FUNCTION ${fn} TO ${APP_ROLE}`]),
];
