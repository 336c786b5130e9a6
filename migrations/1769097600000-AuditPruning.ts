import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../src/database/roles';

/**
 * Audit events past AUDIT_RETENTION_DAYS are pruned without breaking verification. A prune takes a
 * chain's events before the head that the last checkpoint older than the retention sealed, and keeps that
 * head: the chain never starts over, and what is left still links to every later signed head. Each prune
 * is recorded (append-only) before its events go, and the append-only trigger lets an event go only when a
 * recorded prune covers it, so the verifier starts each chain after its last prune and says what went and
 * when. SECURITY DEFINER, as the daily job has no request identity and the application role may not delete.
 */
export class AuditPruning1769097600000 implements MigrationInterface {
  name = 'AuditPruning1769097600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE audit_prunes (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        chain text NOT NULL,
        through_seq bigint NOT NULL,
        through_hash text NOT NULL,
        checkpoint_id bigint NOT NULL REFERENCES audit_checkpoints (id),
        retention_days int NOT NULL,
        events int NOT NULL,
        pruned_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX audit_prunes_chain_idx ON audit_prunes (chain, through_seq DESC)`);
    await q.query(`
      CREATE TRIGGER audit_prunes_no_update_delete BEFORE UPDATE OR DELETE ON audit_prunes
      FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`);
    await q.query(`REVOKE ALL ON audit_prunes FROM PUBLIC, ${APP_ROLE}`);
    await q.query(`GRANT SELECT ON audit_prunes TO ${APP_ROLE}`);
    await q.query(`ALTER TABLE audit_prunes ENABLE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE audit_prunes FORCE ROW LEVEL SECURITY`);
    await q.query(`CREATE POLICY audit_prunes_read ON audit_prunes FOR SELECT USING (app_is_platform_admin())`);
    await q.query(`CREATE INDEX audit_checkpoints_at_idx ON audit_checkpoints (at)`);

    await q.query(`
      CREATE FUNCTION audit_events_prunable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' AND EXISTS (SELECT 1 FROM audit_prunes p
                                         WHERE p.chain = OLD.chain AND p.through_seq >= OLD.chain_seq) THEN
          RETURN OLD;
        END IF;
        RAISE EXCEPTION 'audit_events is append-only (% refused)', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await q.query(`DROP TRIGGER audit_events_no_update_delete ON audit_events`);
    await q.query(`
      CREATE TRIGGER audit_events_no_update_delete BEFORE UPDATE OR DELETE ON audit_events
      FOR EACH ROW EXECUTE FUNCTION audit_events_prunable()`);

    // At most about \`batch\` events per call, chain after chain; the job calls it until a call prunes fewer.
    await q.query(`
      CREATE FUNCTION audit_prune(retention_days int, batch int)
        RETURNS TABLE (pruned_chain text, events int)
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        DECLARE k audit_checkpoints; h record; start bigint; upto bigint; n int; budget int := batch;
        BEGIN
          SELECT * INTO k FROM audit_checkpoints c
           WHERE c.at < now() - make_interval(days => retention_days) ORDER BY c.at DESC, c.id DESC LIMIT 1;
          IF k.id IS NULL THEN RETURN; END IF;
          FOR h IN SELECT * FROM jsonb_to_recordset(k.heads) AS x(chain text, seq bigint, hash text) ORDER BY 1 LOOP
            SELECT coalesce(max(p.through_seq), 0) INTO start FROM audit_prunes p WHERE p.chain = h.chain;
            upto := least(h.seq - 1, start + budget);
            CONTINUE WHEN upto <= start;
            INSERT INTO audit_prunes (chain, through_seq, through_hash, checkpoint_id, retention_days, events)
              SELECT h.chain, upto, e.hash, k.id, audit_prune.retention_days, upto - start
                FROM audit_events e WHERE e.chain = h.chain AND e.chain_seq = upto;
            WITH gone AS (DELETE FROM audit_events e
                           WHERE e.chain = h.chain AND e.chain_seq > start AND e.chain_seq <= upto RETURNING 1)
            SELECT count(*)::int INTO n FROM gone;
            pruned_chain := h.chain;
            events := n;
            RETURN NEXT;
            budget := budget - n;
            EXIT WHEN budget <= 0;
          END LOOP;
        END $$`);
    await q.query(`REVOKE ALL ON FUNCTION audit_prune(int, int) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION audit_prune(int, int) TO ${APP_ROLE}`);
    await q.query(
      `ALTER TABLE audit_verifications ADD COLUMN pruned_events bigint, ADD COLUMN last_pruned_at timestamptz`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE audit_verifications DROP COLUMN pruned_events, DROP COLUMN last_pruned_at`);
    await q.query(`DROP FUNCTION audit_prune(int, int)`);
    await q.query(`DROP TRIGGER audit_events_no_update_delete ON audit_events`);
    await q.query(`
      CREATE TRIGGER audit_events_no_update_delete BEFORE UPDATE OR DELETE ON audit_events
      FOR EACH ROW EXECUTE FUNCTION audit_events_append_only()`);
    await q.query(`DROP FUNCTION audit_events_prunable()`);
    await q.query(`DROP INDEX audit_checkpoints_at_idx`);
    await q.query(`DROP TABLE audit_prunes`);
  }
}
