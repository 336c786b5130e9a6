import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../src/database/roles';
import { OUTBOX_SCHEMA, QUEUE } from '../src/outbox/outbox-queues';

/** The first key of the two-key advisory locks of audit chains ('HWAU'). */
const AUDIT_LOCK_CLASS = 0x4857_4155;

/**
 * One audit chain per organisation (and one for the platform), so an append locks only its own
 * organisation's head instead of the whole trail's. The events so far stay as they are, as the sealed
 * `legacy` chain (chain_seq = seq, their links hashed over the content as before). `seq` now comes from
 * a sequence: it orders the trail for reading, the chain is (chain, chain_seq), unique so it cannot fork.
 * Signed checkpoints over every chain's head make the whole trail verifiable at once.
 */
export class AuditChainsPerOrganisation1767283200000 implements MigrationInterface {
  name = 'AuditChainsPerOrganisation1767283200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_events ADD COLUMN chain text NOT NULL DEFAULT 'legacy'`);
    await q.query(`ALTER TABLE audit_events ALTER COLUMN chain DROP DEFAULT`);
    await q.query(`ALTER TABLE audit_events ADD COLUMN chain_seq bigint, ADD COLUMN content_hash text`);
    await q.query(`ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_delete`);
    await q.query(`UPDATE audit_events SET chain_seq = seq`);
    await q.query(`ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update_delete`);
    await q.query(`ALTER TABLE audit_events ALTER COLUMN chain_seq SET NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX audit_events_chain_idx ON audit_events (chain, chain_seq)`);

    await q.query(`CREATE SEQUENCE audit_events_seq OWNED BY audit_events.seq`);
    await q.query(`SELECT setval('audit_events_seq', coalesce(max(seq), 0) + 1, false) FROM audit_events`);
    await q.query(`ALTER TABLE audit_events ALTER COLUMN seq SET DEFAULT nextval('audit_events_seq')`);
    await q.query(`GRANT USAGE ON SEQUENCE audit_events_seq TO ${APP_ROLE}`);

    await q.query(`DROP FUNCTION audit_chain_claim(bigint)`);
    await q.query(`DROP FUNCTION audit_chain_head()`);
    // The lock is per chain (two chains whose names hash alike share one: harmless); a volatile function
    // reads the head on a snapshot taken after the lock is held, so the previous holder's append is seen.
    await q.query(`
      CREATE FUNCTION audit_chain_claim(p_chain text, OUT seq bigint, OUT hash text) LANGUAGE plpgsql VOLATILE
        SECURITY DEFINER SET search_path = public, pg_temp AS $$
      BEGIN
        PERFORM pg_advisory_xact_lock(${AUDIT_LOCK_CLASS}, hashtext(p_chain));
        SELECT e.chain_seq, e.hash INTO seq, hash FROM audit_events e
         WHERE e.chain = p_chain ORDER BY e.chain_seq DESC LIMIT 1;
      END $$`);
    // Every chain's last event, one index probe per chain (a skip scan), for the checkpoint job.
    await q.query(`
      CREATE FUNCTION audit_chain_heads() RETURNS TABLE (chain text, seq bigint, hash text)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        WITH RECURSIVE chains(name) AS (
          (SELECT e.chain FROM audit_events e ORDER BY e.chain LIMIT 1)
          UNION ALL
          SELECT (SELECT e.chain FROM audit_events e WHERE e.chain > c.name ORDER BY e.chain LIMIT 1)
            FROM chains c WHERE c.name IS NOT NULL
        )
        SELECT c.name, h.chain_seq, h.hash FROM chains c
          CROSS JOIN LATERAL (SELECT e.chain_seq, e.hash FROM audit_events e
                               WHERE e.chain = c.name ORDER BY e.chain_seq DESC LIMIT 1) h
         WHERE c.name IS NOT NULL ORDER BY c.name
      $$`);
    for (const fn of ['audit_chain_claim(text)', 'audit_chain_heads()']) {
      await q.query(`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`);
      await q.query(`GRANT EXECUTE ON FUNCTION ${fn} TO ${APP_ROLE}`);
    }

    // Checkpoints: heads of other organisations' chains are platform business; anyone may append one,
    // since only the signing key makes it count.
    await q.query(`
      CREATE TABLE audit_checkpoints (
        id bigint PRIMARY KEY,
        at timestamptz NOT NULL,
        heads jsonb NOT NULL,
        root text NOT NULL,
        previous text NOT NULL,
        key_id text NOT NULL,
        signature text NOT NULL
      )`);
    await q.query(`
      CREATE TRIGGER audit_checkpoints_no_update_delete BEFORE UPDATE OR DELETE ON audit_checkpoints
      FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`);
    await q.query(`REVOKE UPDATE, DELETE, TRUNCATE ON audit_checkpoints FROM PUBLIC, ${APP_ROLE}`);
    await q.query(`GRANT SELECT, INSERT ON audit_checkpoints TO ${APP_ROLE}`);
    await q.query(`ALTER TABLE audit_checkpoints ENABLE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE audit_checkpoints FORCE ROW LEVEL SECURITY`);
    await q.query(
      `CREATE POLICY audit_checkpoints_read ON audit_checkpoints FOR SELECT USING (app_is_platform_admin())`,
    );
    await q.query(`CREATE POLICY audit_checkpoints_append ON audit_checkpoints FOR INSERT WITH CHECK (true)`);
    // The job reads the last checkpoint it links to without a platform administrator's identity.
    await q.query(`
      CREATE FUNCTION audit_last_checkpoint() RETURNS SETOF audit_checkpoints
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT * FROM audit_checkpoints ORDER BY id DESC LIMIT 1
      $$`);
    await q.query(`REVOKE ALL ON FUNCTION audit_last_checkpoint() FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION audit_last_checkpoint() TO ${APP_ROLE}`);

    await q.query(
      `ALTER TABLE audit_verifications ADD COLUMN chains int, ADD COLUMN checkpoints int, ADD COLUMN failed_checkpoint bigint`,
    );
    await q.query(`SELECT ${OUTBOX_SCHEMA}.create_queue($1, $2::json)`, [
      QUEUE.auditCheckpoint,
      JSON.stringify({ policy: 'singleton', retryLimit: 3, retryDelay: 30, retryBackoff: true }),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    // Events appended since cannot join one chain again: going back is for a trail of legacy events only.
    await q.query(`
      DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM audit_events WHERE chain <> 'legacy') THEN
          RAISE EXCEPTION 'audit events in per-organisation chains exist: this migration cannot be reverted';
        END IF;
      END $$`);
    await q.query(`SELECT ${OUTBOX_SCHEMA}.delete_queue($1)`, [QUEUE.auditCheckpoint]);
    await q.query(
      `ALTER TABLE audit_verifications DROP COLUMN chains, DROP COLUMN checkpoints, DROP COLUMN failed_checkpoint`,
    );
    await q.query(`DROP FUNCTION audit_last_checkpoint()`);
    await q.query(`DROP TABLE audit_checkpoints`);
    await q.query(`DROP FUNCTION audit_chain_heads()`);
    await q.query(`DROP FUNCTION audit_chain_claim(text)`);
    await q.query(`ALTER TABLE audit_events ALTER COLUMN seq DROP DEFAULT`);
    await q.query(`DROP SEQUENCE audit_events_seq`);
    await q.query(`DROP INDEX audit_events_chain_idx`);
    await q.query(`ALTER TABLE audit_events DROP COLUMN chain, DROP COLUMN chain_seq, DROP COLUMN content_hash`);
    await q.query(`
      CREATE FUNCTION audit_chain_head(OUT seq bigint, OUT hash text) LANGUAGE sql STABLE SECURITY DEFINER
        SET search_path = public, pg_temp AS $$ SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1 $$`);
    await q.query(`
      CREATE FUNCTION audit_chain_claim(p_lock bigint, OUT seq bigint, OUT hash text) LANGUAGE plpgsql VOLATILE
        SET search_path = public, pg_temp AS $$
      BEGIN
        PERFORM pg_advisory_xact_lock(p_lock);
        SELECT h.seq, h.hash INTO seq, hash FROM audit_chain_head() h;
      END $$`);
    for (const fn of ['audit_chain_claim(bigint)', 'audit_chain_head()']) {
      await q.query(`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`);
      await q.query(`GRANT EXECUTE ON FUNCTION ${fn} TO ${APP_ROLE}`);
    }
  }
}
