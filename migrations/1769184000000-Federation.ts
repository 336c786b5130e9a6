import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../src/database/roles';

/**
 * Federation between instances (src/federation). This instance has an id; each peer is a row with its
 * public key and the agreement of what may cross (one agreement per peer); the peer's organisations are
 * organisations here with `home_instance_id`, read-only (no members, no invitations). Bulletin versions
 * to send enter a per-peer outbox in the publishing transaction, stamped with its transaction id, and are
 * served in transaction order only below the oldest transaction still running: one committing late
 * cannot be skipped. Received versions are kept once per (STIX id, modified), readable by the audience
 * the origin recorded for this instance; a peer writes only its own objects (`app.peer_id`).
 */
export class Federation1769184000000 implements MigrationInterface {
  name = 'Federation1769184000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION app_peer_id() RETURNS uuid LANGUAGE sql STABLE AS
        $$ SELECT nullif(current_setting('app.peer_id', true), '')::uuid $$`);
    await q.query(`
      CREATE TABLE federation_instance (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        only_one boolean NOT NULL DEFAULT true UNIQUE CHECK (only_one)
      )`);
    await q.query(`INSERT INTO federation_instance DEFAULT VALUES`);
    await q.query(`GRANT SELECT ON federation_instance TO ${APP_ROLE}`);

    await q.query(`
      CREATE TABLE peers (
        id uuid PRIMARY KEY,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
        url text NOT NULL,
        public_key bytea NOT NULL CHECK (length(public_key) = 32),
        cut_off boolean NOT NULL DEFAULT false,
        sends boolean NOT NULL DEFAULT false,
        receives boolean NOT NULL DEFAULT false,
        max_tlp text NOT NULL DEFAULT 'GREEN' CHECK (max_tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER_STRICT')),
        local_organisation_ids uuid[] NOT NULL DEFAULT '{}',
        remote_organisation_ids uuid[] NOT NULL DEFAULT '{}',
        remote_types text[] NOT NULL DEFAULT '{}',
        remote_ports text[] NOT NULL DEFAULT '{}',
        may_relay boolean NOT NULL DEFAULT false,
        retention_days int NOT NULL DEFAULT 365 CHECK (retention_days BETWEEN 1 AND 36500),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`ALTER TABLE organisations ADD COLUMN home_instance_id uuid REFERENCES peers (id)`);
    await q.query(
      `CREATE INDEX organisations_home_instance_idx ON organisations (home_instance_id) WHERE home_instance_id IS NOT NULL`,
    );
    // Names are unique per instance: a peer's "Douane" is not ours.
    await q.query(`ALTER TABLE organisations DROP CONSTRAINT organisations_name_key`);
    await q.query(`CREATE UNIQUE INDEX organisations_name_key ON organisations (name) WHERE home_instance_id IS NULL`);
    await q.query(
      `CREATE UNIQUE INDEX organisations_remote_name_key ON organisations (home_instance_id, name) WHERE home_instance_id IS NOT NULL`,
    );
    // A peer's organisation is read-only here: nobody joins it, nobody is invited to it.
    await q.query(`
      CREATE FUNCTION refuse_remote_organisation() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM organisations o WHERE o.id = NEW.organisation_id AND o.home_instance_id IS NOT NULL) THEN
          RAISE EXCEPTION 'organisation % belongs to another instance', NEW.organisation_id USING ERRCODE = 'check_violation';
        END IF;
        RETURN NEW;
      END $$`);
    for (const table of ['memberships', 'invitations'])
      await q.query(`CREATE TRIGGER ${table}_local_only BEFORE INSERT OR UPDATE ON ${table}
                     FOR EACH ROW EXECUTE FUNCTION refuse_remote_organisation()`);

    await q.query(`
      CREATE TABLE federation_outbox (
        peer_id uuid NOT NULL REFERENCES peers (id) ON DELETE CASCADE,
        txid bigint NOT NULL DEFAULT pg_current_xact_id()::text::bigint,
        seq bigint GENERATED ALWAYS AS IDENTITY,
        bulletin_id uuid NOT NULL,
        version int NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (peer_id, txid, seq)
      )`);
    // In the publishing transaction: what an agreement lets leave, RED never.
    await q.query(`
      CREATE FUNCTION federation_enqueue_version() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
      BEGIN
        INSERT INTO federation_outbox (peer_id, bulletin_id, version)
          SELECT p.id, NEW.bulletin_id, NEW.version FROM peers p
           WHERE p.sends AND NOT p.cut_off AND NEW.tlp <> 'RED' AND NEW.organisation_id = ANY (p.local_organisation_ids);
        RETURN NEW;
      END $$`);
    await q.query(`CREATE TRIGGER bulletin_versions_federate AFTER INSERT ON bulletin_versions
                   FOR EACH ROW EXECUTE FUNCTION federation_enqueue_version()`);
    // A page of a peer's outbox after its cursor, with each version as published; never past the oldest
    // transaction still running (its entries may yet commit with lower ids).
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
    // What remains queued for a peer after a position, committed or not yet, and since when (a version
    // purged meanwhile is no longer owed).
    await q.query(`
      CREATE FUNCTION federation_backlog(peer uuid, after_txid bigint, after_seq bigint)
        RETURNS TABLE (pending bigint, oldest timestamptz)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT count(*), min(o.created_at) FROM federation_outbox o
          JOIN bulletin_versions v ON v.bulletin_id = o.bulletin_id AND v.version = o.version
         WHERE o.peer_id = peer AND (o.txid, o.seq) > (after_txid, after_seq)
      $$`);
    // The peer asked for what follows a position: what precedes it is acknowledged, and goes.
    await q.query(`
      CREATE FUNCTION federation_acknowledge(peer uuid, through_txid bigint, through_seq bigint) RETURNS void
        LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        DELETE FROM federation_outbox o WHERE o.peer_id = peer AND (o.txid, o.seq) <= (through_txid, through_seq)
      $$`);
    // Received bulletins past the agreement's retention (from their latest version), with their versions.
    await q.query(`
      CREATE FUNCTION federated_bulletins_purge(batch int) RETURNS TABLE (purged int)
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        DECLARE doomed uuid[];
        BEGIN
          SELECT array_agg(x.id) INTO doomed FROM (
            SELECT f.id FROM federated_bulletins f JOIN peers p ON p.id = f.origin_instance_id
             WHERE f.received_at < now() - make_interval(days => p.retention_days) LIMIT batch) x;
          IF doomed IS NULL THEN RETURN QUERY SELECT 0; RETURN; END IF;
          DELETE FROM federated_bulletin_versions v WHERE v.bulletin_id = ANY (doomed);
          DELETE FROM federated_bulletins f WHERE f.id = ANY (doomed);
          RETURN QUERY SELECT cardinality(doomed);
        END $$`);
    // The peer's directory: its organisations as they are there, ours to address; those it no longer
    // lists are suspended here. An id that is ours, or another peer's, is refused and counted.
    await q.query(`
      CREATE FUNCTION federation_sync_directory(peer uuid, listed jsonb)
        RETURNS TABLE (upserted int, suspended int, refused int)
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        DECLARE u int; s int; r int;
        BEGIN
          SELECT count(*) INTO r FROM jsonb_to_recordset(listed) AS x(id uuid)
            JOIN organisations o ON o.id = x.id AND o.home_instance_id IS DISTINCT FROM peer;
          WITH up AS (
            INSERT INTO organisations (id, name, type, sector, ports, status, home_instance_id)
            SELECT x.id, x.name, x.type, x.sector, x.ports, 'ACTIVE', peer
              FROM jsonb_to_recordset(listed) AS x(id uuid, name text, type text, sector text, ports text[])
             WHERE NOT EXISTS (SELECT 1 FROM organisations o WHERE o.id = x.id AND o.home_instance_id IS DISTINCT FROM peer)
            ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, type = EXCLUDED.type, sector = EXCLUDED.sector,
                                          ports = EXCLUDED.ports, status = 'ACTIVE'
            RETURNING 1)
          SELECT count(*) INTO u FROM up;
          WITH down AS (
            UPDATE organisations o SET status = 'SUSPENDED'
             WHERE o.home_instance_id = peer AND o.status = 'ACTIVE'
               AND o.id NOT IN (SELECT x.id FROM jsonb_to_recordset(listed) AS x(id uuid))
            RETURNING 1)
          SELECT count(*) INTO s FROM down;
          RETURN QUERY SELECT u, s, r;
        END $$`);

    await q.query(`
      CREATE TABLE federation_cursors (
        peer_id uuid PRIMARY KEY REFERENCES peers (id) ON DELETE CASCADE,
        txid bigint NOT NULL DEFAULT 0,
        seq bigint NOT NULL DEFAULT 0,
        received bigint NOT NULL DEFAULT 0,
        refused bigint NOT NULL DEFAULT 0,
        lag_events bigint NOT NULL DEFAULT 0,
        lag_seconds int NOT NULL DEFAULT 0,
        last_attempt_at timestamptz,
        last_success_at timestamptz,
        consecutive_failures int NOT NULL DEFAULT 0,
        last_error text
      )`);
    await q.query(`
      CREATE TABLE federated_bulletin_versions (
        stix_id text NOT NULL,
        modified timestamptz NOT NULL,
        bulletin_id uuid NOT NULL,
        version int NOT NULL,
        origin_instance_id uuid NOT NULL REFERENCES peers (id),
        organisation_id uuid NOT NULL REFERENCES organisations (id),
        tlp text NOT NULL CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER_STRICT')),
        audience_organisation_ids uuid[] NOT NULL,
        payload jsonb NOT NULL,
        signature text NOT NULL,
        payload_hash text NOT NULL,
        received_from uuid NOT NULL REFERENCES peers (id),
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (stix_id, modified),
        UNIQUE (bulletin_id, version)
      )`);
    await q.query(`
      CREATE TABLE federated_bulletins (
        id uuid PRIMARY KEY,
        origin_instance_id uuid NOT NULL REFERENCES peers (id),
        organisation_id uuid NOT NULL REFERENCES organisations (id),
        version int NOT NULL,
        modified timestamptz NOT NULL,
        tlp text NOT NULL CHECK (tlp IN ('CLEAR', 'GREEN', 'AMBER', 'AMBER_STRICT')),
        audience_organisation_ids uuid[] NOT NULL,
        content jsonb NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE INDEX federated_bulletins_audience_idx ON federated_bulletins USING gin (audience_organisation_ids)`,
    );
    await q.query(`
      CREATE TABLE federation_quarantine (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        peer_id uuid NOT NULL REFERENCES peers (id) ON DELETE CASCADE,
        stix_id text,
        modified timestamptz,
        payload jsonb NOT NULL,
        signature text,
        reason text NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE federation_nonces (
        peer_id uuid NOT NULL REFERENCES peers (id) ON DELETE CASCADE,
        nonce text NOT NULL,
        seen_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (peer_id, nonce)
      )`);

    // Platform administrators manage peers and see their health; a peer's own requests and jobs act as
    // that peer (app.peer_id) and touch its own rows only; members read what was addressed to them.
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON peers TO ${APP_ROLE}`);
    await q.query(`GRANT SELECT, INSERT, UPDATE ON federation_cursors, federated_bulletins TO ${APP_ROLE}`);
    await q.query(
      `GRANT SELECT, INSERT ON federated_bulletin_versions, federation_quarantine, federation_nonces TO ${APP_ROLE}`,
    );
    await q.query(`GRANT DELETE ON federation_nonces TO ${APP_ROLE}`);
    for (const t of [
      'peers',
      'federation_cursors',
      'federated_bulletin_versions',
      'federated_bulletins',
      'federation_quarantine',
      'federation_nonces',
      'federation_outbox',
    ]) {
      await q.query(`ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${t} FORCE ROW LEVEL SECURITY`);
    }
    await q.query(
      `CREATE POLICY peers_admin ON peers FOR ALL USING (app_is_platform_admin()) WITH CHECK (app_is_platform_admin())`,
    );
    await q.query(`CREATE POLICY peers_self ON peers FOR SELECT USING (id = app_peer_id())`);
    for (const t of ['federation_cursors', 'federation_quarantine', 'federation_nonces']) {
      await q.query(`CREATE POLICY ${t}_admin ON ${t} FOR SELECT USING (app_is_platform_admin())`);
      await q.query(
        `CREATE POLICY ${t}_peer ON ${t} FOR ALL USING (peer_id = app_peer_id()) WITH CHECK (peer_id = app_peer_id())`,
      );
    }
    for (const t of ['federated_bulletin_versions', 'federated_bulletins']) {
      await q.query(
        `CREATE POLICY ${t}_audience ON ${t} FOR SELECT USING (app_org_id() = ANY (audience_organisation_ids))`,
      );
      await q.query(`CREATE POLICY ${t}_origin ON ${t} FOR ALL
                     USING (origin_instance_id = app_peer_id()) WITH CHECK (origin_instance_id = app_peer_id())`);
    }
    // Which instance a received bulletin came from, whoever asks: a peer may not write under another's id.
    await q.query(`
      CREATE FUNCTION federated_bulletin_origin(bulletin uuid) RETURNS uuid
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT coalesce((SELECT origin_instance_id FROM federated_bulletins WHERE id = bulletin),
                        (SELECT origin_instance_id FROM federated_bulletin_versions WHERE bulletin_id = bulletin LIMIT 1))
      $$`);
    // The pull job's round: which peers to ask (it has no identity before it acts as each).
    await q.query(`
      CREATE FUNCTION federation_peers_active() RETURNS TABLE (id uuid)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT p.id FROM peers p WHERE (p.sends OR p.receives) AND NOT p.cut_off ORDER BY p.id
      $$`);
    // For /metrics, which has no identity: numbers per peer name, nothing else.
    await q.query(`
      CREATE FUNCTION federation_health()
        RETURNS TABLE (peer text, lag_events bigint, lag_seconds int, refused bigint, consecutive_failures int,
                       seconds_since_success int)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT p.name, c.lag_events, c.lag_seconds, c.refused, c.consecutive_failures,
               extract(epoch FROM now() - c.last_success_at)::int
          FROM peers p JOIN federation_cursors c ON c.peer_id = p.id WHERE p.receives
      $$`);
    // A received bulletin names the instance it comes from; its readers see the name, not the agreement.
    await q.query(`
      CREATE FUNCTION peer_name(peer uuid) RETURNS text
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT name FROM peers WHERE id = peer
      $$`);
    for (const fn of [
      'peer_name(uuid)',
      'federation_health()',
      'federation_peers_active()',
      'federation_feed(uuid, bigint, bigint, int)',
      'federation_backlog(uuid, bigint, bigint)',
      'federation_acknowledge(uuid, bigint, bigint)',
      'federated_bulletins_purge(int)',
      'federation_sync_directory(uuid, jsonb)',
      'federated_bulletin_origin(uuid)',
    ]) {
      await q.query(`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`);
      await q.query(`GRANT EXECUTE ON FUNCTION ${fn} TO ${APP_ROLE}`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION peer_name(uuid)`);
    await q.query(`DROP FUNCTION federation_health()`);
    await q.query(`DROP FUNCTION federation_peers_active()`);
    await q.query(`DROP FUNCTION federated_bulletin_origin(uuid)`);
    await q.query(`DROP FUNCTION federation_sync_directory(uuid, jsonb)`);
    await q.query(`DROP FUNCTION federated_bulletins_purge(int)`);
    await q.query(`DROP FUNCTION federation_acknowledge(uuid, bigint, bigint)`);
    await q.query(`DROP FUNCTION federation_backlog(uuid, bigint, bigint)`);
    await q.query(`DROP FUNCTION federation_feed(uuid, bigint, bigint, int)`);
    await q.query(`DROP TRIGGER bulletin_versions_federate ON bulletin_versions`);
    await q.query(`DROP FUNCTION federation_enqueue_version()`);
    for (const table of ['memberships', 'invitations']) await q.query(`DROP TRIGGER ${table}_local_only ON ${table}`);
    await q.query(`DROP FUNCTION refuse_remote_organisation()`);
    await q.query(`DROP TABLE federation_nonces, federation_quarantine, federated_bulletins, federated_bulletin_versions,
                              federation_cursors, federation_outbox`);
    await q.query(`DELETE FROM organisations WHERE home_instance_id IS NOT NULL`);
    await q.query(`DROP INDEX organisations_remote_name_key`);
    await q.query(`DROP INDEX organisations_name_key`);
    await q.query(`ALTER TABLE organisations ADD CONSTRAINT organisations_name_key UNIQUE (name)`);
    await q.query(`ALTER TABLE organisations DROP COLUMN home_instance_id`);
    await q.query(`DROP TABLE peers, federation_instance`);
    await q.query(`DROP FUNCTION app_peer_id()`);
  }
}
