import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../src/database/roles';

const CREDENTIALS = `
  CREATE FUNCTION machine_client_credentials(p_id uuid)
    RETURNS TABLE (organisation_id uuid, key_hash bytea, max_tlp text, can_write boolean, org_type text, org_ports text[])
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT c.organisation_id, c.key_hash, c.max_tlp, c.can_write, o.type, o.ports
      FROM machine_clients c JOIN organisations o ON o.id = c.organisation_id AND o.status = 'ACTIVE'
     WHERE c.id = p_id AND c.revoked_at IS NULL AND c.expires_at > now()
  $$`;

/**
 * Machine clients that write drafts (TAXII `POST objects`). A client is no user: its drafts name it in
 * `author_machine_client_id` and no author user until an analyst of the organisation takes the draft
 * over (edits or publishes it), so a published bulletin always has a person answering for it, and a
 * machine draft is never RED (RED names people; the organisation's members read its other drafts).
 * A TAXII status resource is kept for the one who posted (user or client), in its organisation.
 */
export class MachineWrites1766851200000 implements MigrationInterface {
  name = 'MachineWrites1766851200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE machine_clients ADD COLUMN can_write boolean NOT NULL DEFAULT false`);
    await q.query(`DROP FUNCTION machine_client_credentials(uuid)`);
    await q.query(CREDENTIALS);
    await q.query(`REVOKE ALL ON FUNCTION machine_client_credentials(uuid) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION machine_client_credentials(uuid) TO ${APP_ROLE}`);

    await q.query(`ALTER TABLE bulletins
      ADD COLUMN author_machine_client_id uuid REFERENCES machine_clients(id),
      ALTER COLUMN author_user_id DROP NOT NULL,
      ADD CONSTRAINT bulletins_author_check CHECK (
        author_user_id IS NOT NULL
        OR (author_machine_client_id IS NOT NULL AND status = 'DRAFT' AND tlp <> 'RED'))`);
    await q.query(`DROP POLICY bulletins_insert ON bulletins`);
    await q.query(`CREATE POLICY bulletins_insert ON bulletins FOR INSERT
      WITH CHECK (organisation_id = app_org_id() AND (author_user_id = app_user_id()
        OR (author_user_id IS NULL AND author_machine_client_id = app_user_id())))`);

    await q.query(`
      CREATE TABLE taxii_statuses (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisations(id),
        requester_id uuid NOT NULL,
        collection_id uuid NOT NULL,
        request_timestamp timestamptz NOT NULL DEFAULT now(),
        total_count int NOT NULL,
        successes jsonb NOT NULL,
        failures jsonb NOT NULL,
        draft_ids uuid[] NOT NULL
      )`);
    await q.query(`CREATE INDEX taxii_statuses_requested_idx ON taxii_statuses (request_timestamp)`);
    await q.query(`ALTER TABLE taxii_statuses ENABLE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE taxii_statuses FORCE ROW LEVEL SECURITY`);
    await q.query(`CREATE POLICY taxii_statuses_own ON taxii_statuses FOR ALL
      USING (organisation_id = app_org_id() AND requester_id = app_user_id())
      WITH CHECK (organisation_id = app_org_id() AND requester_id = app_user_id())`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE taxii_statuses`);
    await q.query(`DROP POLICY bulletins_insert ON bulletins`);
    await q.query(`CREATE POLICY bulletins_insert ON bulletins FOR INSERT
      WITH CHECK (organisation_id = app_org_id() AND author_user_id = app_user_id())`);
    await q.query(`ALTER TABLE bulletins DROP CONSTRAINT bulletins_author_check,
      ALTER COLUMN author_user_id SET NOT NULL, DROP COLUMN author_machine_client_id`);
    await q.query(`DROP FUNCTION machine_client_credentials(uuid)`);
    await q.query(CREDENTIALS.replace(', c.can_write', '').replace(', can_write boolean', ''));
    await q.query(`REVOKE ALL ON FUNCTION machine_client_credentials(uuid) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION machine_client_credentials(uuid) TO ${APP_ROLE}`);
    await q.query(`ALTER TABLE machine_clients DROP COLUMN can_write`);
  }
}
