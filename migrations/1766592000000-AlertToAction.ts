import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../src/database/roles';
import { OUTBOX_SCHEMA, QUEUE } from '../src/outbox/outbox-queues';

/**
 * From alert to action. Bulletins carry the police analysts' grading (source reliability A-F,
 * information credibility 1-6), may ask recipient organisations to respond by a deadline, and may
 * show their recipients to each other (hidden by default). `bulletin_responses` holds one row per
 * (bulletin, recipient organisation): the request (deadline, reminders sent) and the answer. Sightings
 * of a bulletin's indicators follow the bulletin: their policy asks the bulletins' own. A draft
 * started from a whistleblower case is linked in `case_bulletins`, readable by the case's
 * organisation only (no column on the bulletin, so no export or recipient can see the link).
 */
export class AlertToAction1766592000000 implements MigrationInterface {
  name = 'AlertToAction1766592000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE bulletins
        ADD COLUMN source_reliability text NOT NULL DEFAULT 'F' CHECK (source_reliability IN ('A','B','C','D','E','F')),
        ADD COLUMN information_credibility text NOT NULL DEFAULT '6'
          CHECK (information_credibility IN ('1','2','3','4','5','6')),
        ADD COLUMN show_recipients boolean NOT NULL DEFAULT false,
        ADD COLUMN respond_within_minutes int CHECK (respond_within_minutes BETWEEN 15 AND 43200),
        ADD COLUMN response_due_at timestamptz`);

    await q.query(`
      CREATE TABLE bulletin_responses (
        bulletin_id uuid NOT NULL REFERENCES bulletins(id),
        organisation_id uuid NOT NULL REFERENCES organisations(id),
        author_organisation_id uuid NOT NULL REFERENCES organisations(id),
        requested_at timestamptz,
        due_at timestamptz,
        analysts_reminded_at timestamptz,
        admins_reminded_at timestamptz,
        action text CHECK (action IN ('NO_ACTION_NEEDED','CHECKED_NOT_FOUND','BADGE_SUSPENDED','ACCESS_REVOKED',
          'CONTAINER_HELD','PIN_RESET','REFERRED_TO_POLICE','OTHER')),
        note text,
        responded_by uuid REFERENCES users(id),
        responded_at timestamptz,
        PRIMARY KEY (bulletin_id, organisation_id),
        CHECK ((action IS NULL) = (responded_at IS NULL)),
        CHECK ((requested_at IS NULL) = (due_at IS NULL))
      )`);
    await q.query(
      `CREATE INDEX bulletin_responses_pending_idx ON bulletin_responses (due_at) WHERE responded_at IS NULL`,
    );
    await q.query(`CREATE INDEX bulletin_responses_org_idx ON bulletin_responses (organisation_id)`);
    await q.query(`CREATE INDEX bulletin_responses_author_idx ON bulletin_responses (author_organisation_id)`);

    await q.query(`
      CREATE TABLE indicator_sightings (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        bulletin_id uuid NOT NULL REFERENCES bulletins(id),
        author_organisation_id uuid NOT NULL REFERENCES organisations(id),
        organisation_id uuid NOT NULL REFERENCES organisations(id),
        user_id uuid NOT NULL REFERENCES users(id),
        indicator_type text NOT NULL,
        value text NOT NULL,
        search_key text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('SEEN','FALSE_POSITIVE')),
        port text NOT NULL CHECK (port ~ '^[A-Z]{2}[A-Z2-9]{3}$'),
        seen_at timestamptz NOT NULL,
        note text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX indicator_sightings_bulletin_idx ON indicator_sightings (bulletin_id, seen_at DESC)`);

    await q.query(`
      CREATE TABLE case_bulletins (
        case_id uuid NOT NULL REFERENCES whistleblower_cases(id) ON DELETE CASCADE,
        bulletin_id uuid NOT NULL REFERENCES bulletins(id),
        organisation_id uuid NOT NULL REFERENCES organisations(id),
        created_by uuid NOT NULL REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (case_id, bulletin_id)
      )`);
    await q.query(`CREATE INDEX case_bulletins_bulletin_idx ON case_bulletins (bulletin_id)`);

    for (const table of ['bulletin_responses', 'indicator_sightings', 'case_bulletins']) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
    }
    // The author organisation and the recipient organisation, nobody else.
    await q.query(`
      CREATE POLICY bulletin_responses_parties ON bulletin_responses FOR ALL
      USING (organisation_id = app_org_id() OR author_organisation_id = app_org_id())
      WITH CHECK (organisation_id = app_org_id() OR author_organisation_id = app_org_id())`);
    // The bulletin's own policy applies inside EXISTS: a sighting is seen by whoever sees its bulletin.
    await q.query(`
      CREATE POLICY indicator_sightings_read ON indicator_sightings FOR SELECT
      USING (EXISTS (SELECT 1 FROM bulletins b WHERE b.id = indicator_sightings.bulletin_id))`);
    await q.query(`
      CREATE POLICY indicator_sightings_insert ON indicator_sightings FOR INSERT
      WITH CHECK (organisation_id = app_org_id() AND user_id = app_user_id()
                  AND EXISTS (SELECT 1 FROM bulletins b WHERE b.id = indicator_sightings.bulletin_id))`);
    await q.query(`
      CREATE POLICY case_bulletins_own ON case_bulletins FOR ALL
      USING (organisation_id = app_org_id()) WITH CHECK (organisation_id = app_org_id())`);

    // The originator's view reads its bulletins' events by object.
    await q.query(
      `CREATE INDEX audit_events_bulletin_idx ON audit_events (object_id, subject_organisation_id) WHERE object_type = 'Bulletin'`,
    );

    // The reminder job acts as no one until it knows which bulletin and organisation are due.
    await q.query(`
      CREATE FUNCTION response_reminders_due(p_at timestamptz, p_limit int)
        RETURNS TABLE (bulletin_id uuid, organisation_id uuid, stage text, author_user_id uuid, author_organisation_id uuid)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT r.bulletin_id, r.organisation_id,
               CASE WHEN r.due_at <= p_at THEN 'ADMINS' ELSE 'ANALYSTS' END,
               b.author_user_id, b.organisation_id
          FROM bulletin_responses r
          JOIN bulletins b ON b.id = r.bulletin_id AND b.status = 'PUBLISHED'
                          AND (b.valid_until IS NULL OR b.valid_until > p_at)
          JOIN organisations o ON o.id = r.organisation_id AND o.status = 'ACTIVE'
         WHERE r.responded_at IS NULL AND r.due_at IS NOT NULL
           AND ((r.due_at <= p_at AND r.admins_reminded_at IS NULL)
             OR (r.analysts_reminded_at IS NULL AND r.admins_reminded_at IS NULL
                 AND r.requested_at + (r.due_at - r.requested_at) / 2 <= p_at))
         ORDER BY r.due_at
         LIMIT p_limit
      $$`);
    // Who in a recipient organisation a reminder may reach: its active analysts and admins, with the
    // e-mail subscriptions that say what they asked for. The job then keeps those who may read the bulletin.
    await q.query(`
      CREATE FUNCTION response_reminder_recipients(p_org uuid)
        RETURNS TABLE (user_id uuid, email text, role text, org_type text, subscriptions jsonb)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT u.id, u.email, m.role, o.type,
               coalesce((SELECT jsonb_agg(jsonb_build_object(
                          'categories', s.categories, 'minSeverity', s.min_severity, 'ports', s.ports,
                          'organisationTypes', s.organisation_types, 'authorOrganisationIds', s.author_organisation_ids))
                           FROM alert_subscriptions s
                          WHERE s.user_id = u.id AND s.organisation_id = o.id AND 'EMAIL' = ANY(s.channels)), '[]'::jsonb)
          FROM organisations o
          JOIN memberships m ON m.organisation_id = o.id AND m.role IN ('ANALYST', 'ORG_ADMIN')
          JOIN users u ON u.id = m.user_id AND u.status = 'ACTIVE'
         WHERE o.id = p_org AND o.status = 'ACTIVE'
         ORDER BY u.id
      $$`);
    // The organisations TLP:RED recipients belong to: a response request goes to each (ids only).
    await q.query(`
      CREATE FUNCTION organisations_of_users(p_users uuid[]) RETURNS SETOF uuid
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT DISTINCT m.organisation_id
          FROM memberships m
          JOIN users u ON u.id = m.user_id AND u.status = 'ACTIVE'
          JOIN organisations o ON o.id = m.organisation_id AND o.status = 'ACTIVE'
         WHERE m.user_id = ANY(p_users)
      $$`);
    for (const fn of [
      'response_reminders_due(timestamptz, int)',
      'response_reminder_recipients(uuid)',
      'organisations_of_users(uuid[])',
    ]) {
      await q.query(`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`);
      await q.query(`GRANT EXECUTE ON FUNCTION ${fn} TO ${APP_ROLE}`);
    }
    await q.query(`SELECT ${OUTBOX_SCHEMA}.create_queue($1, $2::json)`, [
      QUEUE.responseReminders,
      JSON.stringify({ policy: 'standard', retryLimit: 5, retryDelay: 30, retryBackoff: true }),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`SELECT ${OUTBOX_SCHEMA}.delete_queue($1)`, [QUEUE.responseReminders]);
    await q.query(`DROP FUNCTION organisations_of_users(uuid[])`);
    await q.query(`DROP FUNCTION response_reminder_recipients(uuid)`);
    await q.query(`DROP FUNCTION response_reminders_due(timestamptz, int)`);
    await q.query(`DROP INDEX audit_events_bulletin_idx`);
    await q.query(`DROP TABLE case_bulletins`);
    await q.query(`DROP TABLE indicator_sightings`);
    await q.query(`DROP TABLE bulletin_responses`);
    await q.query(`
      ALTER TABLE bulletins DROP COLUMN response_due_at, DROP COLUMN respond_within_minutes,
        DROP COLUMN show_recipients, DROP COLUMN information_credibility, DROP COLUMN source_reliability`);
  }
}
