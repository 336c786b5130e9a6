import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../src/database/roles';
import { OUTBOX_SCHEMA, QUEUE } from '../src/outbox/outbox-queues';

const CASE_TABLES = [
  'case_keys',
  'case_handlers',
  'user_case_keys',
  'whistleblower_cases',
  'whistleblower_messages',
  'whistleblower_attachments',
];
/** A case is visible to its organisation, or to the reporter whose receipt the request proved. */
const CASE_VISIBLE = `(organisation_id = app_org_id() OR id = app_case_id())`;

/**
 * Anonymous whistleblower cases. Every content column is ciphertext (libsodium, see
 * src/whistleblowing/case-crypto.ts); no column holds an address, a user agent or a time finer than a
 * day. Handlers' and organisations' private keys are stored only wrapped.
 */
export class Whistleblowing1764691200000 implements MigrationInterface {
  name = 'Whistleblowing1764691200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE organisations
        ADD COLUMN accepts_whistleblower_reports boolean NOT NULL DEFAULT false,
        ADD COLUMN whistleblower_retention_days int NOT NULL DEFAULT 365 CHECK (whistleblower_retention_days BETWEEN 30 AND 3650),
        ADD COLUMN case_public_key bytea`);
    await q.query(`
      CREATE FUNCTION app_case_id() RETURNS uuid LANGUAGE sql STABLE AS
        $$ SELECT nullif(current_setting('app.case_id', true), '')::uuid $$`);

    // The organisation's case private key, boxed under its recovery key.
    await q.query(`
      CREATE TABLE case_keys (
        organisation_id uuid PRIMARY KEY REFERENCES organisations(id),
        recovery_wrapped_key bytea NOT NULL
      )`);
    // ... and sealed to each case handler's own public key.
    await q.query(`
      CREATE TABLE case_handlers (
        organisation_id uuid NOT NULL REFERENCES organisations(id),
        user_id uuid NOT NULL REFERENCES users(id),
        wrapped_key bytea NOT NULL,
        PRIMARY KEY (organisation_id, user_id)
      )`);
    // A user's own key pair; the private half boxed under a key derived from their password.
    await q.query(`
      CREATE TABLE user_case_keys (
        user_id uuid PRIMARY KEY REFERENCES users(id),
        public_key bytea NOT NULL,
        wrapped_private_key bytea NOT NULL,
        kdf_salt bytea NOT NULL
      )`);
    await q.query(`
      CREATE TABLE whistleblower_cases (
        id uuid PRIMARY KEY,
        organisation_id uuid NOT NULL REFERENCES organisations(id),
        category text NOT NULL,
        status text NOT NULL DEFAULT 'NEW' CHECK (status IN ('NEW', 'IN_REVIEW', 'NEED_INFO', 'REFERRED', 'CLOSED')),
        -- receipt: a short keyed prefix to find candidates, the salt and an argon2id verifier to prove it
        receipt_lookup bytea NOT NULL,
        receipt_salt bytea NOT NULL,
        receipt_verifier bytea NOT NULL,
        key_for_org bytea NOT NULL,
        key_for_reporter bytea NOT NULL,
        content bytea NOT NULL,
        received_on date NOT NULL DEFAULT current_date,
        updated_on date NOT NULL DEFAULT current_date,
        closed_on date
      )`);
    await q.query(`CREATE INDEX whistleblower_cases_lookup_idx ON whistleblower_cases (receipt_lookup)`);
    await q.query(
      `CREATE INDEX whistleblower_cases_org_idx ON whistleblower_cases (organisation_id, received_on DESC, id DESC)`,
    );
    await q.query(`
      CREATE TABLE whistleblower_messages (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES whistleblower_cases(id) ON DELETE CASCADE,
        seq int NOT NULL,
        author text NOT NULL CHECK (author IN ('REPORTER', 'HANDLER', 'NOTE')),
        author_user_id uuid REFERENCES users(id),
        body bytea NOT NULL,
        sent_on date NOT NULL DEFAULT current_date,
        UNIQUE (case_id, seq)
      )`);
    await q.query(`
      CREATE TABLE whistleblower_attachments (
        id uuid PRIMARY KEY,
        case_id uuid NOT NULL REFERENCES whistleblower_cases(id) ON DELETE CASCADE,
        meta bytea NOT NULL,
        content bytea NOT NULL,
        added_on date NOT NULL DEFAULT current_date
      )`);
    await q.query(`CREATE INDEX whistleblower_attachments_case_idx ON whistleblower_attachments (case_id)`);

    for (const t of CASE_TABLES) {
      await q.query(`ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${t} FORCE ROW LEVEL SECURITY`);
    }
    await q.query(`
      CREATE POLICY case_keys_org ON case_keys FOR ALL
      USING (organisation_id = app_org_id()) WITH CHECK (organisation_id = app_org_id())`);
    await q.query(`
      CREATE POLICY case_handlers_read ON case_handlers FOR SELECT USING (organisation_id = app_org_id() OR user_id = app_user_id())`);
    await q.query(`
      CREATE POLICY case_handlers_write ON case_handlers FOR ALL
      USING (organisation_id = app_org_id()) WITH CHECK (organisation_id = app_org_id())`);
    // Public keys are read by the admins who designate handlers (same organisation).
    await q.query(`
      CREATE POLICY user_case_keys_read ON user_case_keys FOR SELECT USING (
        user_id = app_user_id()
        OR EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = user_case_keys.user_id AND m.organisation_id = app_org_id()))`);
    await q.query(`
      CREATE POLICY user_case_keys_own ON user_case_keys FOR ALL
      USING (user_id = app_user_id()) WITH CHECK (user_id = app_user_id())`);
    await q.query(`CREATE POLICY whistleblower_cases_read ON whistleblower_cases FOR SELECT USING ${CASE_VISIBLE}`);
    await q.query(
      `CREATE POLICY whistleblower_cases_insert ON whistleblower_cases FOR INSERT WITH CHECK (id = app_case_id())`,
    );
    // A referral moves the case to another organisation that accepts reports.
    await q.query(`
      CREATE POLICY whistleblower_cases_update ON whistleblower_cases FOR UPDATE USING ${CASE_VISIBLE}
      WITH CHECK (${CASE_VISIBLE} OR EXISTS (SELECT 1 FROM organisations o WHERE o.id = organisation_id AND o.accepts_whistleblower_reports))`);
    for (const t of ['whistleblower_messages', 'whistleblower_attachments']) {
      await q.query(`
        CREATE POLICY ${t}_access ON ${t} FOR ALL
        USING (EXISTS (SELECT 1 FROM whistleblower_cases c WHERE c.id = case_id))
        WITH CHECK (EXISTS (SELECT 1 FROM whistleblower_cases c WHERE c.id = case_id))`);
    }

    // Before the receipt is proven, the request has no identity: it may see candidates by lookup prefix.
    await q.query(`
      CREATE FUNCTION whistleblower_receipt_candidates(lookup bytea)
        RETURNS TABLE (id uuid, receipt_salt bytea, receipt_verifier bytea)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT id, receipt_salt, receipt_verifier FROM whistleblower_cases WHERE receipt_lookup = lookup
      $$`);
    // Retention: closed cases past their organisation's retention period go, with messages and files.
    await q.query(`
      CREATE FUNCTION whistleblower_purge_closed()
        RETURNS TABLE (organisation_id uuid, cases int, messages int, attachments int)
        LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        WITH doomed AS (
          SELECT c.id, c.organisation_id FROM whistleblower_cases c JOIN organisations o ON o.id = c.organisation_id
           WHERE c.status = 'CLOSED' AND c.closed_on <= current_date - o.whistleblower_retention_days
        ), m AS (
          DELETE FROM whistleblower_messages x USING doomed d WHERE x.case_id = d.id RETURNING d.organisation_id
        ), a AS (
          DELETE FROM whistleblower_attachments x USING doomed d WHERE x.case_id = d.id RETURNING d.organisation_id
        ), c AS (
          DELETE FROM whistleblower_cases x USING doomed d WHERE x.id = d.id RETURNING d.organisation_id
        )
        SELECT org, (SELECT count(*) FROM c WHERE c.organisation_id = org)::int,
               (SELECT count(*) FROM m WHERE m.organisation_id = org)::int,
               (SELECT count(*) FROM a WHERE a.organisation_id = org)::int
          FROM (SELECT DISTINCT organisation_id AS org FROM doomed) orgs
      $$`);
    for (const fn of ['whistleblower_receipt_candidates(bytea)', 'whistleblower_purge_closed()']) {
      await q.query(`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`);
      await q.query(`GRANT EXECUTE ON FUNCTION ${fn} TO ${APP_ROLE}`);
    }
    await q.query(`SELECT ${OUTBOX_SCHEMA}.create_queue($1, $2::json)`, [
      QUEUE.caseRetention,
      JSON.stringify({ policy: 'standard', retryLimit: 5, retryDelay: 60, retryBackoff: true }),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`SELECT ${OUTBOX_SCHEMA}.delete_queue($1)`, [QUEUE.caseRetention]);
    await q.query(`DROP FUNCTION whistleblower_purge_closed()`);
    await q.query(`DROP FUNCTION whistleblower_receipt_candidates(bytea)`);
    for (const t of [...CASE_TABLES].reverse()) await q.query(`DROP TABLE ${t}`);
    await q.query(`DROP FUNCTION app_case_id()`);
    await q.query(
      `ALTER TABLE organisations DROP COLUMN case_public_key, DROP COLUMN whistleblower_retention_days, DROP COLUMN accepts_whistleblower_reports`,
    );
  }
}
