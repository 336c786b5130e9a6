import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../src/database/roles';

/**
 * What the analyst's desk needs of the database:
 * - bulletin_reads: the version of each bulletin a person last opened, so the feed can say "new" and
 *   "revised since you read it". Each person's own, under row-level security.
 * - recipient_directory(org): the analysts and admins of an active organisation, by name, for naming
 *   the recipients of a TLP:RED bulletin. Memberships of other organisations are otherwise out of
 *   reach of row-level security; this gives names and ids only, never e-mail addresses.
 */
export class ConsoleDesk1765468800000 implements MigrationInterface {
  name = 'ConsoleDesk1765468800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE bulletin_reads (
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        bulletin_id uuid NOT NULL REFERENCES bulletins(id) ON DELETE CASCADE,
        version int NOT NULL,
        read_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, bulletin_id)
      )`);
    await q.query(`ALTER TABLE bulletin_reads ENABLE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE bulletin_reads FORCE ROW LEVEL SECURITY`);
    await q.query(`
      CREATE POLICY bulletin_reads_own ON bulletin_reads FOR ALL
      USING (user_id = app_user_id()) WITH CHECK (user_id = app_user_id())`);
    await q.query(`
      CREATE FUNCTION recipient_directory(p_org uuid) RETURNS TABLE (user_id uuid, display_name text)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT u.id, u.display_name
          FROM organisations o
          JOIN memberships m ON m.organisation_id = o.id AND m.role IN ('ANALYST', 'ORG_ADMIN')
          JOIN users u ON u.id = m.user_id AND u.status = 'ACTIVE'
         WHERE o.id = p_org AND o.status = 'ACTIVE'
         ORDER BY u.display_name, u.id
      $$`);
    await q.query(`REVOKE ALL ON FUNCTION recipient_directory(uuid) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION recipient_directory(uuid) TO ${APP_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION recipient_directory(uuid)`);
    await q.query(`DROP TABLE bulletin_reads`);
  }
}
