import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../src/database/roles';
import { CORRELATION_CANDIDATES_V1 } from './1768579200000-Correlation';

/**
 * Correlation measured at 1,000,000 bulletins (npm run bench): ranking every bulletin that holds a
 * value by its listing time cost 290 ms for a value 20,000 bulletins hold, and the job asked each
 * author's own "Related" (5 s a bulletin). Now:
 * - the most recent holders of a value are the most recently written indicator rows, read backwards
 *   along (search_key, id) until the cap is reached: a hot value costs what the cap allows;
 * - `correlation_candidates` names, with each author, which of their bulletins share which values, so
 *   the job only checks, as each author, that they may read the new bulletin and which values their
 *   organisation excludes. Still names and ids only, never content, and only to the bulletin's own
 *   organisation or one that sighted it (the job acts as that organisation).
 */
export class CorrelationByRecency1768665600000 implements MigrationInterface {
  name = 'CorrelationByRecency1768665600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX bulletin_indicators_key_recent_idx ON bulletin_indicators (search_key, id)`);
    await q.query(`DROP INDEX bulletin_indicators_key_idx`);
    await q.query(`DROP FUNCTION correlation_candidates(uuid, text[], int, int)`);
    await q.query(`
      CREATE FUNCTION correlation_candidates(p_bulletin uuid, p_keys text[], p_cap int, p_limit int)
        RETURNS TABLE (user_id uuid, organisation_id uuid, bulletin_id uuid, keys text[])
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        WITH keys AS (
          SELECT DISTINCT i.search_key FROM bulletin_indicators i
           WHERE i.bulletin_id = p_bulletin AND (p_keys IS NULL OR i.search_key = ANY(p_keys))
             -- Only for the job of the bulletin's own organisation, or of one that sighted it: no one
             -- else learns, even by SQL, who wrote bulletins that share its values.
             AND EXISTS (SELECT 1 FROM bulletins b0 WHERE b0.id = p_bulletin AND (b0.organisation_id = app_org_id()
                   OR EXISTS (SELECT 1 FROM indicator_sightings s WHERE s.bulletin_id = p_bulletin AND s.organisation_id = app_org_id())))
             AND NOT EXISTS (SELECT 1 FROM correlation_exclusions x WHERE x.organisation_id IS NULL
                   AND (x.search_key = i.search_key OR (x.prefix AND starts_with(i.search_key, x.search_key))))
        )
        SELECT hit.author_user_id, hit.organisation_id, hit.id, array_agg(DISTINCT k.search_key)
          FROM keys k
         CROSS JOIN LATERAL (
           SELECT b.id, b.author_user_id, b.organisation_id FROM bulletin_indicators o
             JOIN bulletins b ON b.id = o.bulletin_id
            WHERE o.search_key = k.search_key AND o.bulletin_id <> p_bulletin
              AND b.status IN ('PUBLISHED', 'RETRACTED') AND b.author_user_id IS NOT NULL
            ORDER BY o.id DESC LIMIT p_cap
         ) hit
         GROUP BY hit.author_user_id, hit.organisation_id, hit.id
         LIMIT p_limit
      $$`);
    await q.query(`REVOKE ALL ON FUNCTION correlation_candidates(uuid, text[], int, int) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION correlation_candidates(uuid, text[], int, int) TO ${APP_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION correlation_candidates(uuid, text[], int, int)`);
    await q.query(CORRELATION_CANDIDATES_V1);
    await q.query(`REVOKE ALL ON FUNCTION correlation_candidates(uuid, text[], int, int) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION correlation_candidates(uuid, text[], int, int) TO ${APP_ROLE}`);
    await q.query(`CREATE INDEX bulletin_indicators_key_idx ON bulletin_indicators (search_key)`);
    await q.query(`DROP INDEX bulletin_indicators_key_recent_idx`);
  }
}
