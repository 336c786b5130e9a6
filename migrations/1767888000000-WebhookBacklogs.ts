import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../src/database/roles';

/**
 * Each organisation's PENDING webhook deliveries, for the priority of its next jobs: whoever enqueues
 * them (the fan-out acts as the bulletin's author, whom row-level security shows no other
 * organisation's deliveries) learns the counts and nothing else.
 */
export class WebhookBacklogs1767888000000 implements MigrationInterface {
  name = 'WebhookBacklogs1767888000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION webhook_backlogs(p_organisations uuid[]) RETURNS TABLE (organisation_id uuid, backlog int)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
          SELECT d.organisation_id, count(*)::int FROM webhook_deliveries d
           WHERE d.organisation_id = ANY (p_organisations) AND d.status = 'PENDING'
           GROUP BY d.organisation_id
        $$`);
    await q.query(`REVOKE ALL ON FUNCTION webhook_backlogs(uuid[]) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION webhook_backlogs(uuid[]) TO ${APP_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION webhook_backlogs(uuid[])`);
  }
}
