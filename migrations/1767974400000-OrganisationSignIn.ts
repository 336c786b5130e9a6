import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../src/database/roles';
import { OUTBOX_SCHEMA, QUEUE } from '../src/outbox/outbox-queues';

/**
 * Organisations sign their people in through their own OpenID Connect provider:
 * - identity_providers: one per organisation, configured by its admins (row-level security: its own;
 *   platform admins read and approve every one). Used only once approved; a change of issuer, client
 *   or domains (who may enter) needs approval again.
 * - identity_sign_ins: authorization requests in flight (state, nonce, PKCE verifier), before anyone is
 *   authenticated, like login_failures outside row-level security; each is used once.
 * - user_identities: which account an IdP's subject is, like users outside row-level security.
 * - sessions remember the IdP that began them, to ask it again at refresh and to honour its logout.
 * - users.password_hash is null for people who only ever sign in through their IdP.
 */
export class OrganisationSignIn1767974400000 implements MigrationInterface {
  name = 'OrganisationSignIn1767974400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE identity_providers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL UNIQUE REFERENCES organisations(id) ON DELETE CASCADE,
        issuer text NOT NULL,
        client_id text NOT NULL,
        client_auth text NOT NULL CHECK (client_auth IN ('client_secret_basic', 'client_secret_post', 'private_key_jwt')),
        client_secret_sealed text,
        signing_key_sealed text NOT NULL,
        scopes text[] NOT NULL,
        domains text[] NOT NULL,
        join_domains text[] NOT NULL DEFAULT '{}',
        email_verified_claim text NOT NULL DEFAULT 'email_verified',
        role_claim text,
        analyst_values text[] NOT NULL DEFAULT '{}',
        admin_values text[] NOT NULL DEFAULT '{}',
        required boolean NOT NULL DEFAULT false,
        approved_at timestamptz,
        approved_by uuid REFERENCES users(id),
        last_test jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (cardinality(domains) > 0 AND join_domains <@ domains)
      )`);
    await q.query(`ALTER TABLE identity_providers ENABLE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE identity_providers FORCE ROW LEVEL SECURITY`);
    await q.query(`CREATE POLICY identity_providers_access ON identity_providers FOR ALL
      USING (organisation_id = app_org_id() OR app_is_platform_admin())
      WITH CHECK (organisation_id = app_org_id() OR app_is_platform_admin())`);

    await q.query(`
      CREATE TABLE identity_sign_ins (
        state_hash bytea PRIMARY KEY,
        identity_provider_id uuid NOT NULL REFERENCES identity_providers(id) ON DELETE CASCADE,
        organisation_id uuid NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
        browser_hash bytea NOT NULL,
        nonce text NOT NULL,
        code_verifier_sealed text NOT NULL,
        return_to text,
        tested_by uuid REFERENCES users(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX identity_sign_ins_expiry_idx ON identity_sign_ins (expires_at)`);

    await q.query(`
      CREATE TABLE user_identities (
        identity_provider_id uuid NOT NULL REFERENCES identity_providers(id) ON DELETE CASCADE,
        subject text NOT NULL,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_sign_in_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (identity_provider_id, subject),
        UNIQUE (identity_provider_id, user_id)
      )`);

    await q.query(`
      ALTER TABLE sessions
        ADD COLUMN identity_provider_id uuid REFERENCES identity_providers(id) ON DELETE SET NULL,
        ADD COLUMN idp_subject text,
        ADD COLUMN idp_session_id text,
        ADD COLUMN idp_refresh_sealed text,
        ADD COLUMN idp_checked_at timestamptz`);
    await q.query(
      `CREATE INDEX sessions_identity_provider_idx ON sessions (identity_provider_id, idp_subject) WHERE identity_provider_id IS NOT NULL`,
    );
    await q.query(`ALTER TABLE users ALTER COLUMN password_hash DROP NOT NULL`);

    // Before anyone is authenticated: which approved provider answers for an e-mail domain, and whose
    // a provider is (its back-channel logout and its key set name only the provider).
    await q.query(`
      CREATE FUNCTION identity_provider_for_domain(p_domain text)
        RETURNS TABLE (id uuid, organisation_id uuid, organisation_name text)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
          SELECT p.id, p.organisation_id, o.name FROM identity_providers p
            JOIN organisations o ON o.id = p.organisation_id AND o.status = 'ACTIVE'
           WHERE p.approved_at IS NOT NULL AND lower(p_domain) = ANY (p.domains)
        $$`);
    await q.query(`
      CREATE FUNCTION identity_provider_organisation(p_id uuid) RETURNS uuid
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
          SELECT organisation_id FROM identity_providers WHERE id = p_id
        $$`);
    for (const fn of ['identity_provider_for_domain(text)', 'identity_provider_organisation(uuid)']) {
      await q.query(`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`);
      await q.query(`GRANT EXECUTE ON FUNCTION ${fn} TO ${APP_ROLE}`);
    }
    // Telling an organisation's admins that someone joined through its provider.
    await q.query(`SELECT ${OUTBOX_SCHEMA}.create_queue($1, $2::json)`, [
      QUEUE.memberJoined,
      JSON.stringify({ policy: 'standard', retryLimit: 8, retryDelay: 30, retryBackoff: true }),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`SELECT ${OUTBOX_SCHEMA}.delete_queue($1)`, [QUEUE.memberJoined]);
    await q.query(`DROP FUNCTION identity_provider_organisation(uuid)`);
    await q.query(`DROP FUNCTION identity_provider_for_domain(text)`);
    await q.query(`UPDATE users SET password_hash = '' WHERE password_hash IS NULL`);
    await q.query(`ALTER TABLE users ALTER COLUMN password_hash SET NOT NULL`);
    await q.query(`ALTER TABLE sessions DROP COLUMN identity_provider_id, DROP COLUMN idp_subject,
      DROP COLUMN idp_session_id, DROP COLUMN idp_refresh_sealed, DROP COLUMN idp_checked_at`);
    await q.query(`DROP TABLE user_identities`);
    await q.query(`DROP TABLE identity_sign_ins`);
    await q.query(`DROP TABLE identity_providers`);
  }
}
