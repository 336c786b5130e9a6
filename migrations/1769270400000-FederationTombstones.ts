import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../src/database/roles';

/**
 * Retraction and narrowing reach every copy. What each peer was served is recorded (its delivery set);
 * a retraction queues a tombstone for each peer that has the bulletin, and a revision that a peer may
 * no longer have (RED, or an audience without any of its organisations) is queued for it too, so the
 * feed sends a tombstone in its place. The receiver keeps each tombstone: a retracted bulletin shows as
 * retracted, a withdrawn one is gone, and neither comes back through a stale copy of an older version.
 */
export class FederationTombstones1769270400000 implements MigrationInterface {
  name = 'FederationTombstones1769270400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE federation_outbox ADD COLUMN kind text NOT NULL DEFAULT 'VERSION'
                   CHECK (kind IN ('VERSION', 'RETRACTED'))`);
    await q.query(`
      CREATE TABLE federation_deliveries (
        peer_id uuid NOT NULL REFERENCES peers (id) ON DELETE CASCADE,
        bulletin_id uuid NOT NULL,
        version int NOT NULL,
        withdrawn boolean NOT NULL DEFAULT false,
        delivered_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (peer_id, bulletin_id)
      )`);
    await q.query(`
      CREATE OR REPLACE FUNCTION federation_enqueue_version() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      BEGIN
        INSERT INTO federation_outbox (peer_id, bulletin_id, version)
          SELECT p.id, NEW.bulletin_id, NEW.version FROM peers p
           WHERE p.sends AND NOT p.cut_off AND NEW.organisation_id = ANY (p.local_organisation_ids)
             AND (NEW.tlp <> 'RED' OR EXISTS (SELECT 1 FROM federation_deliveries d
                                               WHERE d.peer_id = p.id AND d.bulletin_id = NEW.bulletin_id
                                                 AND NOT d.withdrawn));
        RETURN NEW;
      END $$`);
    await q.query(`
      CREATE FUNCTION federation_enqueue_retraction() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      BEGIN
        INSERT INTO federation_outbox (peer_id, bulletin_id, version, kind)
          SELECT d.peer_id, NEW.id, NEW.version, 'RETRACTED' FROM federation_deliveries d
           WHERE d.bulletin_id = NEW.id AND NOT d.withdrawn;
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER bulletins_federate_retraction AFTER UPDATE OF status ON bulletins
                   FOR EACH ROW WHEN (NEW.status = 'RETRACTED' AND OLD.status <> 'RETRACTED')
                   EXECUTE FUNCTION federation_enqueue_retraction()`);
    // The feed gives each row's kind and when it was queued (a tombstone's time).
    await q.query(`DROP FUNCTION federation_feed(uuid, bigint, bigint, int)`);
    await q.query(`
      CREATE FUNCTION federation_feed(peer uuid, after_txid bigint, after_seq bigint, n int)
        RETURNS TABLE (txid bigint, seq bigint, kind text, bulletin_id uuid, version int, organisation_id uuid,
                       content jsonb, tlp text, category text, recipient_organisation_ids uuid[],
                       published_at timestamptz, queued_at timestamptz)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT o.txid, o.seq, o.kind, o.bulletin_id, o.version, v.organisation_id, v.content, v.tlp, v.category,
               v.recipient_organisation_ids, v.published_at, o.created_at
          FROM federation_outbox o
          JOIN bulletin_versions v ON v.bulletin_id = o.bulletin_id AND v.version = o.version
         WHERE o.peer_id = peer AND (o.txid, o.seq) > (after_txid, after_seq)
           AND o.txid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
         ORDER BY o.txid, o.seq LIMIT n
      $$`);

    await q.query(`REVOKE ALL ON FUNCTION federation_feed(uuid, bigint, bigint, int) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION federation_feed(uuid, bigint, bigint, int) TO ${APP_ROLE}`);

    await q.query(`
      CREATE TABLE federated_tombstones (
        bulletin_id uuid PRIMARY KEY,
        origin_instance_id uuid NOT NULL REFERENCES peers (id),
        reason text NOT NULL CHECK (reason IN ('RETRACTED', 'WITHDRAWN')),
        version int NOT NULL,
        modified timestamptz NOT NULL,
        payload jsonb NOT NULL,
        signature text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`ALTER TABLE federated_bulletins ADD COLUMN retracted_at timestamptz`);

    await q.query(`GRANT SELECT, INSERT, UPDATE ON federation_deliveries, federated_tombstones TO ${APP_ROLE}`);
    await q.query(`GRANT DELETE ON federated_bulletins, federated_bulletin_versions TO ${APP_ROLE}`);
    for (const t of ['federation_deliveries', 'federated_tombstones']) {
      await q.query(`ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${t} FORCE ROW LEVEL SECURITY`);
    }
    await q.query(`CREATE POLICY federation_deliveries_peer ON federation_deliveries FOR ALL
                   USING (peer_id = app_peer_id()) WITH CHECK (peer_id = app_peer_id())`);
    await q.query(`CREATE POLICY federated_tombstones_origin ON federated_tombstones FOR ALL
                   USING (origin_instance_id = app_peer_id()) WITH CHECK (origin_instance_id = app_peer_id())`);
    await q.query(
      `CREATE POLICY federated_tombstones_admin ON federated_tombstones FOR SELECT USING (app_is_platform_admin())`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`REVOKE DELETE ON federated_bulletins, federated_bulletin_versions FROM ${APP_ROLE}`);
    await q.query(`ALTER TABLE federated_bulletins DROP COLUMN retracted_at`);
    await q.query(`DROP TABLE federated_tombstones`);
    await q.query(`DROP FUNCTION federation_feed(uuid, bigint, bigint, int)`);
    await q.query(`
      CREATE FUNCTION federation_feed(peer uuid, after_txid bigint, after_seq bigint, n int)
        RETURNS TABLE (txid bigint, seq bigint, bulletin_id uuid, version int, organisation_id uuid, content jsonb,
                       tlp text, category text, recipient_organisation_ids uuid[], published_at timestamptz)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT o.txid, o.seq, o.bulletin_id, o.version, v.organisation_id, v.content, v.tlp, v.category,
               v.recipient_organisation_ids, v.published_at
          FROM federation_outbox o
          JOIN bulletin_versions v ON v.bulletin_id = o.bulletin_id AND v.version = o.version
         WHERE o.peer_id = peer AND (o.txid, o.seq) > (after_txid, after_seq)
           AND o.txid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint
         ORDER BY o.txid, o.seq LIMIT n
      $$`);
    await q.query(`REVOKE ALL ON FUNCTION federation_feed(uuid, bigint, bigint, int) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION federation_feed(uuid, bigint, bigint, int) TO ${APP_ROLE}`);
    await q.query(`DROP TRIGGER bulletins_federate_retraction ON bulletins`);
    await q.query(`DROP FUNCTION federation_enqueue_retraction()`);
    await q.query(`
      CREATE OR REPLACE FUNCTION federation_enqueue_version() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      BEGIN
        INSERT INTO federation_outbox (peer_id, bulletin_id, version)
          SELECT p.id, NEW.bulletin_id, NEW.version FROM peers p
           WHERE p.sends AND NOT p.cut_off AND NEW.tlp <> 'RED' AND NEW.organisation_id = ANY (p.local_organisation_ids);
        RETURN NEW;
      END $$`);
    await q.query(`DROP TABLE federation_deliveries`);
    await q.query(`ALTER TABLE federation_outbox DROP COLUMN kind`);
  }
}
