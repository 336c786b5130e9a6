import { MigrationInterface, QueryRunner } from 'typeorm';
import { OUTBOX_SCHEMA, QUEUE } from '../src/outbox/outbox-queues';

/**
 * Fair webhook delivery. An attempt holds a lease on its delivery (`leased_until`) while it waits on the
 * endpoint: at most one lease per webhook and WEBHOOK_CONCURRENCY_PER_ORGANISATION per organisation,
 * counted in Postgres so the share holds across workers and instances. A webhook failing for
 * WEBHOOK_DISABLE_AFTER_HOURS is disabled (`disabled_at`), its admins are told, and the fan-out passes
 * it by until an admin enables it again.
 */
export class FairWebhookDelivery1767369600000 implements MigrationInterface {
  name = 'FairWebhookDelivery1767369600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE webhook_deliveries ADD COLUMN leased_until timestamptz`);
    await q.query(
      `CREATE INDEX webhook_deliveries_leased_idx ON webhook_deliveries (organisation_id, webhook_id) WHERE leased_until IS NOT NULL`,
    );
    // An organisation's backlog, counted to spread its waiting deliveries over time.
    await q.query(
      `CREATE INDEX webhook_deliveries_pending_idx ON webhook_deliveries (organisation_id) WHERE status = 'PENDING'`,
    );
    await q.query(`ALTER TABLE webhooks ADD COLUMN failing_since timestamptz, ADD COLUMN disabled_at timestamptz`);
    await q.query(targets('AND w.disabled_at IS NULL'));
    await q.query(fanout('AND w.disabled_at IS NULL'));
    await q.query(`SELECT ${OUTBOX_SCHEMA}.create_queue($1, $2::json)`, [
      QUEUE.webhookDisabled,
      JSON.stringify({ policy: 'standard', retryLimit: 8, retryDelay: 30, retryBackoff: true }),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`SELECT ${OUTBOX_SCHEMA}.delete_queue($1)`, [QUEUE.webhookDisabled]);
    await q.query(targets(''));
    await q.query(fanout(''));
    await q.query(`ALTER TABLE webhooks DROP COLUMN failing_since, DROP COLUMN disabled_at`);
    await q.query(`DROP INDEX webhook_deliveries_pending_idx`);
    await q.query(`DROP INDEX webhook_deliveries_leased_idx`);
    await q.query(`ALTER TABLE webhook_deliveries DROP COLUMN leased_until`);
  }
}

// CREATE OR REPLACE keeps the grants the Webhooks migration gave (EXECUTE to the application role only).
const targets = (live: string) => `
  CREATE OR REPLACE FUNCTION webhook_targets()
    RETURNS TABLE (id uuid, organisation_id uuid, org_type text, max_tlp text, categories text[],
                   min_severity text, ports text[], organisation_types text[], author_organisation_ids uuid[])
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT w.id, w.organisation_id, o.type, w.max_tlp, w.categories, w.min_severity, w.ports,
           w.organisation_types, w.author_organisation_ids
      FROM webhooks w JOIN organisations o ON o.id = w.organisation_id AND o.status = 'ACTIVE'
     WHERE w.deleted_at IS NULL ${live}
  $$`;

const fanout = (live: string) => `
  CREATE OR REPLACE FUNCTION webhook_fanout(p_bulletin uuid, p_version int, p_kind text, p_ids uuid[], p_webhooks uuid[])
    RETURNS TABLE (id uuid, organisation_id uuid)
    LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    INSERT INTO webhook_deliveries (id, webhook_id, organisation_id, bulletin_id, version, kind)
    SELECT r.id, w.id, w.organisation_id, p_bulletin, p_version, p_kind
      FROM unnest(p_ids, p_webhooks) AS r(id, webhook_id)
      JOIN webhooks w ON w.id = r.webhook_id AND w.deleted_at IS NULL ${live}
    ON CONFLICT (webhook_id, bulletin_id, version, kind) DO NOTHING
    RETURNING id, organisation_id
  $$`;
