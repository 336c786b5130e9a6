import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../src/database/roles';
import { OUTBOX_SCHEMA, QUEUE } from '../src/outbox/outbox-queues';

/**
 * Webhooks: the third alert channel. An organisation admin registers an HTTPS endpoint with a
 * marking cap and an alert filter; every bulletin event the organisation may read (as a machine would,
 * capped at that marking) becomes a delivery, signed and sent through the outbox with back-off. The
 * signing secret is sealed (AES-GCM, ENCRYPTION_KEY). Webhooks and deliveries are the organisation's
 * own (row-level security); the fan-out, which acts as the bulletin's author, reaches the targets and
 * creates deliveries only through the two SECURITY DEFINER functions below.
 */
export class Webhooks1766937600000 implements MigrationInterface {
  name = 'Webhooks1766937600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhooks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisations(id),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        url text NOT NULL CHECK (url LIKE 'https://%' AND length(url) <= 2000),
        max_tlp text NOT NULL CHECK (max_tlp IN ('CLEAR','GREEN','AMBER','AMBER_STRICT')),
        categories text[] NOT NULL DEFAULT '{}',
        min_severity text,
        ports text[] NOT NULL DEFAULT '{}',
        organisation_types text[] NOT NULL DEFAULT '{}',
        author_organisation_ids uuid[] NOT NULL DEFAULT '{}',
        secret_sealed text NOT NULL,
        secret_hint text NOT NULL,
        created_by uuid NOT NULL REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        rotated_at timestamptz,
        deleted_at timestamptz,
        last_success_at timestamptz,
        last_failure_at timestamptz,
        last_error text
      )`);
    await q.query(`CREATE INDEX webhooks_org_idx ON webhooks (organisation_id, created_at)`);
    await q.query(`
      CREATE TABLE webhook_deliveries (
        id uuid PRIMARY KEY,
        webhook_id uuid NOT NULL REFERENCES webhooks(id),
        organisation_id uuid NOT NULL REFERENCES organisations(id),
        bulletin_id uuid NOT NULL REFERENCES bulletins(id),
        version integer NOT NULL,
        kind text NOT NULL CHECK (kind IN ('PUBLISHED','REVISED','RETRACTED')),
        status text NOT NULL DEFAULT 'PENDING' CHECK (status IN ('PENDING','SENT','SKIPPED','FAILED')),
        attempts integer NOT NULL DEFAULT 0,
        last_status_code integer,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_attempt_at timestamptz,
        sent_at timestamptz,
        UNIQUE (webhook_id, bulletin_id, version, kind)
      )`);
    await q.query(
      `CREATE INDEX webhook_deliveries_webhook_idx ON webhook_deliveries (webhook_id, created_at DESC, id DESC)`,
    );
    for (const table of ['webhooks', 'webhook_deliveries']) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
      await q.query(`CREATE POLICY ${table}_own ON ${table} FOR ALL
        USING (organisation_id = app_org_id()) WITH CHECK (organisation_id = app_org_id())`);
    }
    // Live webhooks of active organisations, with what the fan-out decides on: marking and filter.
    await q.query(`
      CREATE FUNCTION webhook_targets()
        RETURNS TABLE (id uuid, organisation_id uuid, org_type text, max_tlp text, categories text[],
                       min_severity text, ports text[], organisation_types text[], author_organisation_ids uuid[])
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT w.id, w.organisation_id, o.type, w.max_tlp, w.categories, w.min_severity, w.ports,
               w.organisation_types, w.author_organisation_ids
          FROM webhooks w JOIN organisations o ON o.id = w.organisation_id AND o.status = 'ACTIVE'
         WHERE w.deleted_at IS NULL
      $$`);
    // One delivery per webhook and event; those created now are returned (a repeated fan-out adds none).
    await q.query(`
      CREATE FUNCTION webhook_fanout(p_bulletin uuid, p_version int, p_kind text, p_ids uuid[], p_webhooks uuid[])
        RETURNS TABLE (id uuid, organisation_id uuid)
        LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        INSERT INTO webhook_deliveries (id, webhook_id, organisation_id, bulletin_id, version, kind)
        SELECT r.id, w.id, w.organisation_id, p_bulletin, p_version, p_kind
          FROM unnest(p_ids, p_webhooks) AS r(id, webhook_id)
          JOIN webhooks w ON w.id = r.webhook_id AND w.deleted_at IS NULL
        ON CONFLICT (webhook_id, bulletin_id, version, kind) DO NOTHING
        RETURNING id, organisation_id
      $$`);
    for (const fn of ['webhook_targets()', 'webhook_fanout(uuid, int, text, uuid[], uuid[])']) {
      await q.query(`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`);
      await q.query(`GRANT EXECUTE ON FUNCTION ${fn} TO ${APP_ROLE}`);
    }
    await q.query(`SELECT ${OUTBOX_SCHEMA}.create_queue($1, $2::json)`, [QUEUE.webhookFailed, JSON.stringify({})]);
    await q.query(`SELECT ${OUTBOX_SCHEMA}.create_queue($1, $2::json)`, [
      QUEUE.webhook,
      JSON.stringify({
        policy: 'standard',
        retryLimit: 8,
        retryDelay: 30,
        retryBackoff: true,
        deadLetter: QUEUE.webhookFailed,
      }),
    ]);
    await q.query(`SELECT ${OUTBOX_SCHEMA}.create_queue($1, $2::json)`, [
      QUEUE.webhookFanout,
      JSON.stringify({ policy: 'standard', retryLimit: 10, retryDelay: 2, retryBackoff: true }),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const queue of [QUEUE.webhookFanout, QUEUE.webhook, QUEUE.webhookFailed])
      await q.query(`SELECT ${OUTBOX_SCHEMA}.delete_queue($1)`, [queue]);
    await q.query(`DROP FUNCTION webhook_fanout(uuid, int, text, uuid[], uuid[])`);
    await q.query(`DROP FUNCTION webhook_targets()`);
    await q.query(`DROP TABLE webhook_deliveries`);
    await q.query(`DROP TABLE webhooks`);
  }
}
