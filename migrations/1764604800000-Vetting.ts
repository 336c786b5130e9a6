import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../src/database/roles';
import { OUTBOX_SCHEMA, QUEUE } from '../src/outbox/outbox-queues';

const LEVELS = `'BASIC', 'ENHANCED', 'SECURITY_CRITICAL'`;
const STORED_STATUSES = `'PENDING', 'CLEARED', 'CONDITIONAL', 'REFUSED', 'REVOKED', 'SUSPENDED'`;
const ADVERSE = `'REFUSED', 'REVOKED', 'SUSPENDED'`;

/**
 * Vetting-status records. The clear identity is sealed (envelope encryption, in the app); the database
 * holds only the subject pseudonym (a keyed HMAC) to match on. EXPIRED is never stored: it is read
 * from valid_until.
 */
export class Vetting1764604800000 implements MigrationInterface {
  name = 'Vetting1764604800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE vetting_records (
        id uuid PRIMARY KEY,
        organisation_id uuid NOT NULL REFERENCES organisations(id),
        employer_organisation_id uuid NOT NULL REFERENCES organisations(id),
        subject_pseudonym bytea NOT NULL CHECK (length(subject_pseudonym) = 32),
        identity_key text NOT NULL,
        identity text NOT NULL,
        level text NOT NULL CHECK (level IN (${LEVELS})),
        status text NOT NULL CHECK (status IN (${STORED_STATUSES})),
        reason_code text,
        valid_from timestamptz NOT NULL,
        valid_until timestamptz,
        status_changed_at timestamptz NOT NULL DEFAULT now(),
        -- millisecond precision: keyset cursors carry JavaScript dates
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (status NOT IN ('CLEARED', 'CONDITIONAL') OR valid_until IS NOT NULL),
        CHECK (valid_until IS NULL OR valid_until > valid_from),
        -- One record per subject, authority and employer: a new vetting of the same person renews it.
        UNIQUE (organisation_id, employer_organisation_id, subject_pseudonym)
      )`);
    await q.query(`CREATE INDEX vetting_records_subject_idx ON vetting_records (subject_pseudonym)`);
    // Cross-matching reads only adverse records: one index probe per submitted pseudonym.
    await q.query(
      `CREATE INDEX vetting_records_adverse_idx ON vetting_records (subject_pseudonym) WHERE status IN (${ADVERSE})`,
    );
    await q.query(
      `CREATE INDEX vetting_records_authority_idx ON vetting_records (organisation_id, created_at DESC, id DESC)`,
    );
    await q.query(
      `CREATE INDEX vetting_records_employer_idx ON vetting_records (employer_organisation_id, created_at DESC, id DESC)`,
    );
    await q.query(
      `CREATE INDEX vetting_records_expiry_idx ON vetting_records (valid_until) WHERE status IN ('CLEARED', 'CONDITIONAL')`,
    );

    await q.query(`
      CREATE TABLE vetting_status_changes (
        id uuid PRIMARY KEY,
        record_id uuid NOT NULL REFERENCES vetting_records(id) ON DELETE CASCADE,
        organisation_id uuid NOT NULL REFERENCES organisations(id),
        kind text NOT NULL CHECK (kind IN ('RECORDED', 'STATUS_CHANGED', 'RENEWED')),
        status text NOT NULL CHECK (status IN (${STORED_STATUSES})),
        reason_code text,
        valid_until timestamptz,
        note text,
        changed_by uuid NOT NULL REFERENCES users(id),
        changed_at timestamptz NOT NULL DEFAULT clock_timestamp()
      )`);
    await q.query(`CREATE INDEX vetting_status_changes_record_idx ON vetting_status_changes (record_id, changed_at)`);

    // One expiry reminder per organisation and day, whichever instance or retry sends it.
    await q.query(`
      CREATE TABLE vetting_reminders (
        organisation_id uuid NOT NULL REFERENCES organisations(id),
        day date NOT NULL,
        records int NOT NULL,
        sent_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (organisation_id, day)
      )`);

    for (const t of ['vetting_records', 'vetting_status_changes', 'vetting_reminders']) {
      await q.query(`ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${t} FORCE ROW LEVEL SECURITY`);
    }
    // The vetting authority and the employer read the record; an organisation admitted by a
    // VETTING_STATUS rule of the authority reads it for badge checks (the app returns status only).
    await q.query(`
      CREATE POLICY vetting_records_read ON vetting_records FOR SELECT USING (
           organisation_id = app_org_id()
        OR employer_organisation_id = app_org_id()
        OR EXISTS (SELECT 1 FROM sharing_rules r
                    WHERE r.subject = 'VETTING_STATUS'
                      AND r.id IN (SELECT sharing_rules_admitting(app_org_id()))
                      AND (r.organisation_id IS NULL OR r.organisation_id = vetting_records.organisation_id)
                      AND (cardinality(r.categories) = 0 OR vetting_records.level = ANY(r.categories))))`);
    await q.query(
      `CREATE POLICY vetting_records_insert ON vetting_records FOR INSERT WITH CHECK (organisation_id = app_org_id())`,
    );
    await q.query(`
      CREATE POLICY vetting_records_update ON vetting_records FOR UPDATE
      USING (organisation_id = app_org_id()) WITH CHECK (organisation_id = app_org_id())`);
    await q.query(`
      CREATE POLICY vetting_status_changes_read ON vetting_status_changes FOR SELECT USING (EXISTS (
        SELECT 1 FROM vetting_records v WHERE v.id = record_id
           AND (v.organisation_id = app_org_id() OR v.employer_organisation_id = app_org_id())))`);
    await q.query(
      `CREATE POLICY vetting_status_changes_insert ON vetting_status_changes FOR INSERT WITH CHECK (organisation_id = app_org_id())`,
    );
    await q.query(`
      CREATE POLICY vetting_reminders_own ON vetting_reminders FOR ALL
      USING (organisation_id = app_org_id()) WITH CHECK (organisation_id = app_org_id())`);

    // Cross-match (after FIU.net ma3tch): a vetting authority learns, for the pseudonyms it submits,
    // which other authorities hold an adverse record, and nothing else. It must look across
    // organisations, hence SECURITY DEFINER; it answers only an active vetting authority.
    await q.query(`
      CREATE FUNCTION vetting_cross_match(pseudonyms bytea[])
        RETURNS TABLE (idx int, record_id uuid, status text, organisation_id uuid)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT s.idx::int - 1, v.id, v.status, v.organisation_id
          FROM unnest(pseudonyms) WITH ORDINALITY AS s(pseudonym, idx)
          JOIN vetting_records v ON v.subject_pseudonym = s.pseudonym AND v.status IN (${ADVERSE})
          JOIN organisations asker ON asker.id = app_org_id() AND asker.status = 'ACTIVE'
                                  AND asker.type IN ('PORT_AUTHORITY', 'POLICE', 'CUSTOMS')
         WHERE v.organisation_id <> asker.id
         ORDER BY 1, v.status_changed_at DESC
      $$`);
    // The reminder job must find every organisation with records about to lapse.
    await q.query(`
      CREATE FUNCTION vetting_reminder_organisations(horizon interval) RETURNS SETOF uuid
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT DISTINCT org FROM vetting_records v
         CROSS JOIN LATERAL (VALUES (v.organisation_id), (v.employer_organisation_id)) AS o(org)
          JOIN organisations ON organisations.id = o.org AND organisations.status = 'ACTIVE'
         WHERE v.status IN ('CLEARED', 'CONDITIONAL') AND v.valid_until > now() AND v.valid_until <= now() + horizon
      $$`);
    for (const fn of ['vetting_cross_match(bytea[])', 'vetting_reminder_organisations(interval)']) {
      await q.query(`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`);
      await q.query(`GRANT EXECUTE ON FUNCTION ${fn} TO ${APP_ROLE}`);
    }
    await q.query(`SELECT ${OUTBOX_SCHEMA}.create_queue($1, $2::json)`, [
      QUEUE.vettingReminders,
      JSON.stringify({ policy: 'standard', retryLimit: 5, retryDelay: 60, retryBackoff: true }),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`SELECT ${OUTBOX_SCHEMA}.delete_queue($1)`, [QUEUE.vettingReminders]);
    await q.query(`DROP FUNCTION vetting_reminder_organisations(interval)`);
    await q.query(`DROP FUNCTION vetting_cross_match(bytea[])`);
    await q.query(`DROP TABLE vetting_reminders`);
    await q.query(`DROP TABLE vetting_status_changes`);
    await q.query(`DROP TABLE vetting_records`);
  }
}
