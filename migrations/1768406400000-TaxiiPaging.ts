import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../src/database/roles';
import { REQUEST_COUNT_TAKE_V1 } from './1767196800000-SharedThrottles';

/**
 * TAXII pages object by object:
 * - an author's identity is added to a reader's collection with the first version of theirs the reader
 *   may see; a page asks, per author, whether a readable version came earlier, along
 *   (organisation_id, added_at), stopping at the first readable one;
 * - a machine client's allowance counts work (the objects a page built) beside requests: the counting
 *   function takes an amount, and reads another scope's count of the same window in the same trip, so
 *   the gate refuses a key over either allowance on every instance.
 */
export class TaxiiPaging1768406400000 implements MigrationInterface {
  name = 'TaxiiPaging1768406400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX bulletin_versions_author_added_idx ON bulletin_versions (organisation_id, added_at)`);
    await q.query(`
      CREATE FUNCTION request_count_take(p_scope text, p_key text, p_window_ms int, p_amount int, p_also text)
        RETURNS TABLE (hits int, resets_in_ms int, also_hits int)
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
      DECLARE
        started timestamptz := to_timestamp(floor(extract(epoch FROM clock_timestamp()) * 1000 / p_window_ms) * p_window_ms / 1000.0);
      BEGIN
        DELETE FROM request_counts WHERE window_start < clock_timestamp() - interval '1 day';
        RETURN QUERY
          WITH taken AS (
            INSERT INTO request_counts AS c (scope, key, window_start, hits) VALUES (p_scope, p_key, started, p_amount)
            ON CONFLICT (scope, key, window_start) DO UPDATE SET hits = c.hits + p_amount
            RETURNING c.hits)
          SELECT taken.hits,
            greatest(1, (extract(epoch FROM started - clock_timestamp()) * 1000)::int + p_window_ms),
            coalesce((SELECT a.hits FROM request_counts a
                       WHERE a.scope = p_also AND a.key = p_key AND a.window_start = started), 0)
          FROM taken;
      END
      $$`);
    await q.query(`REVOKE ALL ON FUNCTION request_count_take(text, text, int, int, text) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION request_count_take(text, text, int, int, text) TO ${APP_ROLE}`);
    // One body for both: the throttler's call counts one and reads nothing else.
    await q.query(`
      CREATE OR REPLACE FUNCTION request_count_take(p_scope text, p_key text, p_window_ms int)
        RETURNS TABLE (hits int, resets_in_ms int)
        LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT t.hits, t.resets_in_ms FROM request_count_take(p_scope, p_key, p_window_ms, 1, '') t
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE OR REPLACE ${REQUEST_COUNT_TAKE_V1}`);
    await q.query(`DROP FUNCTION request_count_take(text, text, int, int, text)`);
    await q.query(`DROP INDEX bulletin_versions_author_added_idx`);
  }
}
