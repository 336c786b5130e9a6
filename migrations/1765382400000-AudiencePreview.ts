import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../src/database/roles';

/**
 * people_in_good_standing: how many active people each of some organisations has (active users, active
 * organisation), for the audience preview an author sees before publishing. Counts only: memberships of
 * other organisations stay out of reach of row-level security otherwise.
 */
export class AudiencePreview1765382400000 implements MigrationInterface {
  name = 'AudiencePreview1765382400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION people_in_good_standing(p_orgs uuid[]) RETURNS TABLE (organisation_id uuid, people int)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT o.id, count(u.id)::int
          FROM organisations o
          LEFT JOIN memberships m ON m.organisation_id = o.id
          LEFT JOIN users u ON u.id = m.user_id AND u.status = 'ACTIVE'
         WHERE o.id = ANY(p_orgs) AND o.status = 'ACTIVE'
         GROUP BY o.id
      $$`);
    await q.query(`REVOKE ALL ON FUNCTION people_in_good_standing(uuid[]) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION people_in_good_standing(uuid[]) TO ${APP_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION people_in_good_standing(uuid[])`);
  }
}
