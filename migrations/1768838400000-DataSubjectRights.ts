import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../src/database/roles';

/**
 * Data subjects' rights and the data protection officer:
 * - a DPO role in memberships and invitations;
 * - organisations may require a justification before their members open AMBER+STRICT or RED;
 * - users.left_at, kept by a trigger on memberships: when a person left their last organisation, for
 *   the retention of accounts after leaving; users.erased_at once an account is pseudonymised;
 * - data_subject_requests: what was asked and answered (access, erasure, vetting subject access), for
 *   the DPO, per organisation under row-level security;
 * - erase_person: pseudonymises an account ("Former member #17 of Customs Rotterdam") and deletes what
 *   only serves the person (credentials, sessions, preferences, notices), keeping the records others
 *   rely on (authored bulletins, audit events, vetting decisions) under the pseudonym. SECURITY DEFINER:
 *   the person's rows lie in every organisation's tables.
 */
export class DataSubjectRights1768838400000 implements MigrationInterface {
  name = 'DataSubjectRights1768838400000';

  async up(q: QueryRunner): Promise<void> {
    for (const table of ['memberships', 'invitations']) {
      await q.query(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_role_check`);
      await q.query(
        `ALTER TABLE ${table} ADD CONSTRAINT ${table}_role_check CHECK (role IN ('ORG_ADMIN','ANALYST','MEMBER','DPO'))`,
      );
    }
    await q.query(`ALTER TABLE organisations ADD COLUMN requires_justification boolean NOT NULL DEFAULT false`);

    await q.query(`ALTER TABLE users ADD COLUMN left_at timestamptz, ADD COLUMN erased_at timestamptz`);
    await q.query(`
      UPDATE users u SET left_at = now()
       WHERE NOT u.is_platform_admin AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = u.id)`);
    await q.query(`CREATE INDEX users_left_idx ON users (left_at) WHERE left_at IS NOT NULL AND erased_at IS NULL`);
    await q.query(`
      CREATE FUNCTION users_track_leaving() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
        BEGIN
          IF TG_OP = 'INSERT' THEN
            UPDATE users SET left_at = NULL WHERE id = NEW.user_id AND left_at IS NOT NULL;
          ELSIF NOT EXISTS (SELECT 1 FROM memberships WHERE user_id = OLD.user_id) THEN
            UPDATE users SET left_at = now() WHERE id = OLD.user_id AND NOT is_platform_admin;
          END IF;
          RETURN NULL;
        END $$`);
    await q.query(`
      CREATE TRIGGER memberships_track_leaving AFTER INSERT OR DELETE ON memberships
        FOR EACH ROW EXECUTE FUNCTION users_track_leaving()`);

    await q.query(`
      CREATE TABLE data_subject_requests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisations(id),
        kind text NOT NULL CHECK (kind IN ('ACCESS', 'ERASURE', 'VETTING_ACCESS')),
        subject_user_id uuid REFERENCES users(id),
        handled_by uuid REFERENCES users(id),
        received_at timestamptz NOT NULL DEFAULT now(),
        outcome jsonb NOT NULL DEFAULT '{}'
      )`);
    await q.query(
      `CREATE INDEX data_subject_requests_org_idx ON data_subject_requests (organisation_id, received_at DESC)`,
    );
    await q.query(`ALTER TABLE data_subject_requests ENABLE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE data_subject_requests FORCE ROW LEVEL SECURITY`);
    await q.query(`
      CREATE POLICY data_subject_requests_own ON data_subject_requests FOR ALL
      USING (organisation_id = app_org_id()) WITH CHECK (organisation_id = app_org_id())`);

    // A person's own events, for their access request and nothing slower than an index.
    await q.query(
      `CREATE INDEX audit_events_actor_user_idx ON audit_events (actor_user_id, seq) WHERE actor_user_id IS NOT NULL`,
    );
    await q.query(`CREATE SEQUENCE erased_members`);
    await q.query(`
      CREATE FUNCTION erase_person(p_user uuid, p_organisation uuid) RETURNS jsonb
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        DECLARE
          deleted jsonb := '{}';
          c int;
          v_email text;
          v_label text;
        BEGIN
          -- What served the person in the organisation they leave.
          IF p_organisation IS NOT NULL THEN
            DELETE FROM alert_subscriptions WHERE user_id = p_user AND organisation_id = p_organisation;
            GET DIAGNOSTICS c = ROW_COUNT; deleted := deleted || jsonb_build_object('alertSubscriptions', c);
            DELETE FROM saved_view_defaults WHERE user_id = p_user AND organisation_id = p_organisation;
            DELETE FROM saved_views WHERE user_id = p_user AND organisation_id = p_organisation;
            GET DIAGNOSTICS c = ROW_COUNT; deleted := deleted || jsonb_build_object('savedViews', c);
            DELETE FROM case_handlers WHERE user_id = p_user AND organisation_id = p_organisation;
            GET DIAGNOSTICS c = ROW_COUNT; deleted := deleted || jsonb_build_object('caseHandling', c);
            DELETE FROM correlation_notices WHERE user_id = p_user AND organisation_id = p_organisation;
            DELETE FROM digest_items WHERE user_id = p_user AND organisation_id = p_organisation;
          END IF;
          -- The account itself, once it belongs to no organisation and administers nothing.
          SELECT email INTO v_email FROM users
           WHERE id = p_user AND erased_at IS NULL AND NOT is_platform_admin
             AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = p_user)
           FOR UPDATE;
          IF NOT FOUND THEN
            RETURN jsonb_build_object('pseudonymised', false, 'deleted', deleted);
          END IF;
          v_label := 'Former member #' || nextval('erased_members')
            || coalesce(' of ' || (SELECT name FROM organisations WHERE id = p_organisation), '');
          UPDATE users SET
              email = 'erased-' || id || '@erased.invalid', display_name = v_label,
              password_hash = NULL, totp_secret = NULL, totp_pending_secret = NULL, totp_last_step = NULL,
              status = 'DISABLED', correlation_mail = false, erased_at = now()
            WHERE id = p_user;
          DELETE FROM passkeys WHERE user_id = p_user;
          GET DIAGNOSTICS c = ROW_COUNT; deleted := deleted || jsonb_build_object('passkeys', c);
          DELETE FROM recovery_codes WHERE user_id = p_user;
          GET DIAGNOSTICS c = ROW_COUNT; deleted := deleted || jsonb_build_object('recoveryCodes', c);
          DELETE FROM user_identities WHERE user_id = p_user;
          GET DIAGNOSTICS c = ROW_COUNT; deleted := deleted || jsonb_build_object('identityLinks', c);
          DELETE FROM sessions WHERE user_id = p_user;
          GET DIAGNOSTICS c = ROW_COUNT; deleted := deleted || jsonb_build_object('sessions', c);
          DELETE FROM user_case_keys WHERE user_id = p_user;
          GET DIAGNOSTICS c = ROW_COUNT; deleted := deleted || jsonb_build_object('caseKeys', c);
          DELETE FROM webauthn_challenges WHERE user_id = p_user;
          DELETE FROM login_failures WHERE user_id = p_user;
          -- Left behind in organisations the person had left before.
          DELETE FROM case_handlers WHERE user_id = p_user;
          DELETE FROM alert_subscriptions WHERE user_id = p_user;
          DELETE FROM saved_view_defaults WHERE user_id = p_user;
          DELETE FROM saved_views WHERE user_id = p_user;
          DELETE FROM correlation_notices WHERE user_id = p_user;
          DELETE FROM digest_items WHERE user_id = p_user;
          DELETE FROM invitations WHERE email = v_email AND accepted_at IS NULL;
          RETURN jsonb_build_object('pseudonymised', true, 'label', v_label, 'deleted', deleted);
        END $$`);
    // Everything the platform holds about the person asking (and only them: app.user_id must be theirs),
    // never other people's data: no bulletin text, no audit details, no indicator values, no case content.
    await q.query(`
      CREATE FUNCTION personal_data_of(p_user uuid) RETURNS jsonb
        LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        BEGIN
          IF p_user IS DISTINCT FROM app_user_id() THEN
            RAISE EXCEPTION 'personal data of another person' USING ERRCODE = '42501';
          END IF;
          RETURN jsonb_build_object(
            'account', (SELECT jsonb_build_object('id', u.id, 'email', u.email, 'displayName', u.display_name,
                          'status', u.status, 'createdAt', u.created_at, 'platformAdministrator', u.is_platform_admin,
                          'hasPassword', u.password_hash IS NOT NULL, 'totpEnabled', u.totp_secret IS NOT NULL,
                          'correlationMail', u.correlation_mail, 'leftAt', u.left_at)
                          FROM users u WHERE u.id = p_user),
            'memberships', coalesce((SELECT jsonb_agg(jsonb_build_object('organisationId', o.id, 'organisation', o.name,
                          'role', m.role, 'since', m.created_at) ORDER BY m.created_at)
                          FROM memberships m JOIN organisations o ON o.id = m.organisation_id WHERE m.user_id = p_user), '[]'),
            'passkeys', coalesce((SELECT jsonb_agg(jsonb_build_object('name', k.name, 'deviceType', k.device_type,
                          'backedUp', k.backed_up, 'createdAt', k.created_at, 'lastUsedAt', k.last_used_at) ORDER BY k.created_at)
                          FROM passkeys k WHERE k.user_id = p_user), '[]'),
            'recoveryCodesLeft', (SELECT count(*) FROM recovery_codes r WHERE r.user_id = p_user AND r.used_at IS NULL),
            'identityProviderLinks', coalesce((SELECT jsonb_agg(jsonb_build_object('issuer', p.issuer, 'subject', i.subject,
                          'linkedAt', i.created_at, 'lastSignInAt', i.last_sign_in_at))
                          FROM user_identities i JOIN identity_providers p ON p.id = i.identity_provider_id
                          WHERE i.user_id = p_user), '[]'),
            'sessions', coalesce((SELECT jsonb_agg(jsonb_build_object('organisationId', s.organisation_id,
                          'createdAt', s.created_at, 'expiresAt', s.expires_at, 'revokedAt', s.revoked_at,
                          'revokeReason', s.revoke_reason, 'phishingResistant', s.phishing_resistant) ORDER BY s.created_at)
                          FROM sessions s WHERE s.user_id = p_user), '[]'),
            'loginFailures', coalesce((SELECT jsonb_agg(jsonb_build_object('failures', f.failures,
                          'lastFailureAt', f.last_failure_at, 'lockedUntil', f.locked_until))
                          FROM login_failures f WHERE f.user_id = p_user), '[]'),
            'alertSubscriptions', coalesce((SELECT jsonb_agg(jsonb_build_object('organisationId', a.organisation_id,
                          'name', a.name, 'categories', a.categories, 'minSeverity', a.min_severity, 'ports', a.ports,
                          'channels', a.channels, 'mode', a.mode, 'createdAt', a.created_at))
                          FROM alert_subscriptions a WHERE a.user_id = p_user), '[]'),
            'savedViews', coalesce((SELECT jsonb_agg(jsonb_build_object('organisationId', v.organisation_id,
                          'name', v.name, 'query', v.query, 'shared', v.shared, 'createdAt', v.created_at))
                          FROM saved_views v WHERE v.user_id = p_user), '[]'),
            'authoredBulletins', coalesce((SELECT jsonb_agg(jsonb_build_object('id', b.id, 'organisationId', b.organisation_id,
                          'status', b.status, 'version', b.version, 'tlp', b.tlp, 'createdAt', b.created_at,
                          'publishedAt', b.published_at) ORDER BY b.created_at)
                          FROM bulletins b WHERE b.author_user_id = p_user), '[]'),
            'bulletinsRead', (SELECT count(*) FROM bulletin_reads r WHERE r.user_id = p_user),
            'acknowledgements', (SELECT count(*) FROM bulletin_acknowledgements a WHERE a.user_id = p_user),
            'sightingsReported', (SELECT count(*) FROM indicator_sightings s WHERE s.user_id = p_user),
            'caseHandlerOf', coalesce((SELECT jsonb_agg(o.name) FROM case_handlers h
                          JOIN organisations o ON o.id = h.organisation_id WHERE h.user_id = p_user), '[]'),
            'notificationsSent', (SELECT count(*) FROM notification_deliveries d WHERE d.user_id = p_user),
            'auditEvents', coalesce((SELECT jsonb_agg(jsonb_build_object('at', e.at, 'action', e.action,
                          'objectType', e.object_type,
                          -- Only ids of things, never of people (a member, a vetting subject, a reporter's case).
                          'objectId', CASE WHEN e.object_type IN ('Bulletin', 'Organisation', 'Session', 'SharingRule',
                            'Webhook', 'MachineClient', 'IdentityProvider', 'AlertSubscription', 'SavedView', 'TaxiiStatus')
                            THEN e.object_id END,
                          'organisationId', e.actor_organisation_id) ORDER BY e.seq)
                          FROM audit_events e WHERE e.actor_user_id = p_user), '[]'));
        END $$`);
    await q.query(`REVOKE ALL ON FUNCTION personal_data_of(uuid) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION personal_data_of(uuid) TO ${APP_ROLE}`);
    await q.query(`REVOKE ALL ON FUNCTION erase_person(uuid, uuid) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION erase_person(uuid, uuid) TO ${APP_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION personal_data_of(uuid)`);
    await q.query(`DROP FUNCTION erase_person(uuid, uuid)`);
    await q.query(`DROP SEQUENCE erased_members`);
    await q.query(`DROP INDEX audit_events_actor_user_idx`);
    await q.query(`DROP TABLE data_subject_requests`);
    await q.query(`DROP TRIGGER memberships_track_leaving ON memberships`);
    await q.query(`DROP FUNCTION users_track_leaving()`);
    await q.query(`ALTER TABLE users DROP COLUMN left_at, DROP COLUMN erased_at`);
    await q.query(`ALTER TABLE organisations DROP COLUMN requires_justification`);
    await q.query(`DELETE FROM memberships WHERE role = 'DPO'`);
    await q.query(`DELETE FROM invitations WHERE role = 'DPO'`);
    for (const table of ['memberships', 'invitations']) {
      await q.query(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_role_check`);
      await q.query(
        `ALTER TABLE ${table} ADD CONSTRAINT ${table}_role_check CHECK (role IN ('ORG_ADMIN','ANALYST','MEMBER'))`,
      );
    }
  }
}
