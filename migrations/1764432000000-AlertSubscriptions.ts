import { MigrationInterface, QueryRunner } from 'typeorm';

export class AlertSubscriptions1764432000000 implements MigrationInterface {
  name = 'AlertSubscriptions1764432000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE alert_subscriptions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisations(id),
        user_id uuid NOT NULL REFERENCES users(id),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        categories text[] NOT NULL DEFAULT '{}',
        min_severity text CHECK (min_severity IN ('MINOR','MODERATE','SEVERE','EXTREME')),
        ports text[] NOT NULL DEFAULT '{}',
        organisation_types text[] NOT NULL DEFAULT '{}',
        author_organisation_ids uuid[] NOT NULL DEFAULT '{}',
        channels text[] NOT NULL CHECK (cardinality(channels) > 0 AND channels <@ ARRAY['EMAIL','REALTIME']),
        mode text NOT NULL CHECK (mode IN ('IMMEDIATE','DAILY_DIGEST')),
        -- millisecond precision: keyset cursors carry JavaScript dates
        created_at timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX alert_subscriptions_user_idx ON alert_subscriptions (user_id, created_at, id)`);
    await q.query(`CREATE INDEX alert_subscriptions_org_idx ON alert_subscriptions (organisation_id, created_at, id)`);
    // Tenant-owned: one's own subscriptions, and (superset: the app limits it to admins) the organisation's.
    await q.query(`ALTER TABLE alert_subscriptions ENABLE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE alert_subscriptions FORCE ROW LEVEL SECURITY`);
    await q.query(`
      CREATE POLICY alert_subscriptions_read ON alert_subscriptions FOR SELECT
      USING (user_id = app_user_id() OR organisation_id = app_org_id())`);
    await q.query(`
      CREATE POLICY alert_subscriptions_own ON alert_subscriptions FOR ALL
      USING (user_id = app_user_id()) WITH CHECK (user_id = app_user_id() AND organisation_id = app_org_id())`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE alert_subscriptions`);
  }
}
