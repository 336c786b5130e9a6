import PgBoss from 'pg-boss';
import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../src/database/roles';
import { OUTBOX_QUEUES, OUTBOX_SCHEMA } from '../src/outbox/outbox-queues';

/**
 * The durable outbox: pg-boss's schema and queues, installed by the owner (the application role only
 * gets to use them), and the delivery ledger that makes e-mail idempotent.
 */
export class NotificationOutbox1764518400000 implements MigrationInterface {
  name = 'NotificationOutbox1764518400000';

  async up(q: QueryRunner): Promise<void> {
    // pg-boss's own installation script, minus its BEGIN/COMMIT: it runs inside this migration's transaction.
    const plans = PgBoss.getConstructionPlans(OUTBOX_SCHEMA)
      .replace(/^\s*BEGIN;\s*$/m, '')
      .replace(/^\s*COMMIT;\s*$/m, '');
    await q.query(plans);
    for (const [name, options] of Object.entries(OUTBOX_QUEUES)) {
      await q.query(`SELECT ${OUTBOX_SCHEMA}.create_queue($1, $2::json)`, [
        name,
        JSON.stringify({ policy: 'standard', ...options }),
      ]);
    }
    await q.query(`GRANT USAGE ON SCHEMA ${OUTBOX_SCHEMA} TO ${APP_ROLE}`);
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA ${OUTBOX_SCHEMA} TO ${APP_ROLE}`);
    await q.query(`GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA ${OUTBOX_SCHEMA} TO ${APP_ROLE}`);

    await q.query(`
      CREATE TABLE notification_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        bulletin_id uuid NOT NULL REFERENCES bulletins(id),
        version integer NOT NULL,
        kind text NOT NULL CHECK (kind IN ('PUBLISHED','REVISED','RETRACTED')),
        user_id uuid NOT NULL REFERENCES users(id),
        organisation_id uuid NOT NULL REFERENCES organisations(id),
        -- the (first) subscription that matched: its unsubscribe link goes in the mail
        subscription_id uuid NOT NULL,
        channel text NOT NULL CHECK (channel IN ('EMAIL')),
        status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING','SENT','SKIPPED','FAILED')),
        attempts integer NOT NULL DEFAULT 0,
        message_id text,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        sent_at timestamptz,
        UNIQUE (bulletin_id, version, kind, user_id, channel)
      )`);
    await q.query(
      `CREATE INDEX notification_deliveries_org_idx ON notification_deliveries (organisation_id, status, created_at DESC)`,
    );
    await q.query(`ALTER TABLE notification_deliveries ENABLE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE notification_deliveries FORCE ROW LEVEL SECURITY`);
    // Read: the recipient and the recipient's organisation. Written by the fan-out (for every recipient,
    // acting as the author) and then by the delivery, acting as the recipient.
    await q.query(`CREATE POLICY notification_deliveries_read ON notification_deliveries FOR SELECT
                   USING (user_id = app_user_id() OR organisation_id = app_org_id())`);
    await q.query(
      `CREATE POLICY notification_deliveries_fanout ON notification_deliveries FOR INSERT WITH CHECK (true)`,
    );
    await q.query(`CREATE POLICY notification_deliveries_deliver ON notification_deliveries FOR UPDATE
                   USING (user_id = app_user_id()) WITH CHECK (user_id = app_user_id())`);

    // DAILY_DIGEST subscriptions collect items during the day; the daily job mails one list per user.
    await q.query(`
      CREATE TABLE digest_items (
        user_id uuid NOT NULL REFERENCES users(id),
        organisation_id uuid NOT NULL REFERENCES organisations(id),
        subscription_id uuid NOT NULL,
        bulletin_id uuid NOT NULL REFERENCES bulletins(id),
        version integer NOT NULL,
        kind text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        mailed_on date,
        PRIMARY KEY (user_id, organisation_id, bulletin_id, version, kind)
      )`);
    await q.query(
      `CREATE INDEX digest_items_pending_idx ON digest_items (user_id, organisation_id) WHERE mailed_on IS NULL`,
    );
    await q.query(`ALTER TABLE digest_items ENABLE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE digest_items FORCE ROW LEVEL SECURITY`);
    await q.query(`CREATE POLICY digest_items_read ON digest_items FOR SELECT USING (user_id = app_user_id())`);
    await q.query(`CREATE POLICY digest_items_collect ON digest_items FOR INSERT WITH CHECK (true)`);
    await q.query(
      `CREATE POLICY digest_items_mail ON digest_items FOR UPDATE USING (user_id = app_user_id()) WITH CHECK (user_id = app_user_id())`,
    );
    // Who has a digest waiting, across organisations (the daily job starts from here).
    await q.query(`
      CREATE FUNCTION digest_recipients() RETURNS TABLE (user_id uuid, organisation_id uuid)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT DISTINCT user_id, organisation_id FROM digest_items WHERE mailed_on IS NULL
      $$`);
    await q.query(`REVOKE ALL ON FUNCTION digest_recipients() FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION digest_recipients() TO ${APP_ROLE}`);

    // The fan-out must see every e-mail subscription, across organisations, to decide whom to notify.
    await q.query(`
      CREATE FUNCTION email_subscribers()
        RETURNS TABLE (id uuid, user_id uuid, organisation_id uuid, role text, categories text[], min_severity text,
                       ports text[], organisation_types text[], author_organisation_ids uuid[], mode text)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT s.id, s.user_id, s.organisation_id, m.role, s.categories, s.min_severity, s.ports, s.organisation_types,
               s.author_organisation_ids, s.mode
          FROM alert_subscriptions s
          JOIN memberships m ON m.organisation_id = s.organisation_id AND m.user_id = s.user_id
          JOIN organisations o ON o.id = s.organisation_id AND o.status = 'ACTIVE'
          JOIN users u ON u.id = s.user_id AND u.status = 'ACTIVE'
         WHERE 'EMAIL' = ANY(s.channels)
         ORDER BY s.created_at
      $$`);
    await q.query(`REVOKE ALL ON FUNCTION email_subscribers() FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION email_subscribers() TO ${APP_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION email_subscribers()`);
    await q.query(`DROP FUNCTION digest_recipients()`);
    await q.query(`DROP TABLE digest_items`);
    await q.query(`DROP TABLE notification_deliveries`);
    await q.query(`DROP SCHEMA ${OUTBOX_SCHEMA} CASCADE`);
  }
}
