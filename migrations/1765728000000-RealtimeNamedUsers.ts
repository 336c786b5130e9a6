import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../src/database/roles';

/**
 * Real-time events are authorized once per (organisation, role) group of subscribers (RealtimeService).
 * When a group's member cannot read the bulletin, only a user the bulletin names (its author, a TLP:RED
 * recipient) could still: this tells the server which users to check one by one, and nothing else.
 */
export class RealtimeNamedUsers1765728000000 implements MigrationInterface {
  name = 'RealtimeNamedUsers1765728000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION bulletin_named_users(p_bulletin uuid) RETURNS uuid[]
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS
      $$ SELECT b.author_user_id || b.recipient_user_ids FROM bulletins b WHERE b.id = p_bulletin $$`);
    await q.query(`REVOKE ALL ON FUNCTION bulletin_named_users(uuid) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION bulletin_named_users(uuid) TO ${APP_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION bulletin_named_users(uuid)`);
  }
}
