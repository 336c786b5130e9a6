import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../src/database/roles';

/**
 * Machine clients: national systems (MISP, OpenCTI, case systems) pull what their organisation may
 * see with an API key instead of a person's session. A key is shown once and kept as its SHA-256 only
 * (it is 256 random bits: a slow hash adds nothing); it expires, can be rotated and revoked, and its
 * last use is kept. A request with a key is checked against this table every time (no cache), so a
 * revoked key stops at once on every instance. The lookup runs before anyone is authenticated: a
 * SECURITY DEFINER function answers for one client id.
 */
export class MachineClients1766678400000 implements MigrationInterface {
  name = 'MachineClients1766678400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE machine_clients (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisations(id),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
        max_tlp text NOT NULL CHECK (max_tlp IN ('CLEAR','GREEN','AMBER','AMBER_STRICT')),
        key_hash bytea NOT NULL,
        key_hint text NOT NULL,
        created_by uuid NOT NULL REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        rotated_at timestamptz,
        revoked_at timestamptz,
        last_used_at timestamptz
      )`);
    await q.query(`CREATE INDEX machine_clients_org_idx ON machine_clients (organisation_id, created_at)`);
    await q.query(`ALTER TABLE machine_clients ENABLE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE machine_clients FORCE ROW LEVEL SECURITY`);
    await q.query(`
      CREATE POLICY machine_clients_own ON machine_clients FOR ALL
      USING (organisation_id = app_org_id()) WITH CHECK (organisation_id = app_org_id())`);
    await q.query(`
      CREATE FUNCTION machine_client_credentials(p_id uuid)
        RETURNS TABLE (organisation_id uuid, key_hash bytea, max_tlp text, org_type text, org_ports text[])
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT c.organisation_id, c.key_hash, c.max_tlp, o.type, o.ports
          FROM machine_clients c JOIN organisations o ON o.id = c.organisation_id AND o.status = 'ACTIVE'
         WHERE c.id = p_id AND c.revoked_at IS NULL AND c.expires_at > now()
      $$`);
    // At most one write a minute per client: a polling client does not turn every read into a write.
    await q.query(`
      CREATE FUNCTION machine_client_used(p_id uuid) RETURNS void
        LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        UPDATE machine_clients SET last_used_at = now()
         WHERE id = p_id AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')
      $$`);
    for (const fn of ['machine_client_credentials(uuid)', 'machine_client_used(uuid)']) {
      await q.query(`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`);
      await q.query(`GRANT EXECUTE ON FUNCTION ${fn} TO ${APP_ROLE}`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION machine_client_used(uuid)`);
    await q.query(`DROP FUNCTION machine_client_credentials(uuid)`);
    await q.query(`DROP TABLE machine_clients`);
  }
}
