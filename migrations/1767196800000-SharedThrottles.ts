import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../src/database/roles';

/** The first request counter: one hit at a time (TaxiiPaging's down() restores it). */
export const REQUEST_COUNT_TAKE_V1 = `FUNCTION request_count_take(p_scope text, p_key text, p_window_ms int)
        RETURNS TABLE (hits int, resets_in_ms int)
        LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
      DECLARE
        started timestamptz := to_timestamp(floor(extract(epoch FROM clock_timestamp()) * 1000 / p_window_ms) * p_window_ms / 1000.0);
      BEGIN
        DELETE FROM request_counts WHERE window_start < clock_timestamp() - interval '1 day';
        RETURN QUERY
          INSERT INTO request_counts AS c (scope, key, window_start, hits) VALUES (p_scope, p_key, started, 1)
          ON CONFLICT (scope, key, window_start) DO UPDATE SET hits = c.hits + 1
          RETURNING c.hits,
            greatest(1, (extract(epoch FROM started - clock_timestamp()) * 1000)::int + p_window_ms);
      END
      $$`;

/**
 * Request counts in fixed windows, shared by every worker and instance (a throttle per process let each
 * of them multiply it). `key` is what the caller is known by: a machine client's id, or the throttler's
 * hash of a route and an address (never the address itself). Not tenant data, and the application
 * reaches it only through `request_count_take`, which also drops windows ended a day ago.
 */
export class SharedThrottles1767196800000 implements MigrationInterface {
  name = 'SharedThrottles1767196800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE request_counts (
        scope text NOT NULL,
        key text NOT NULL,
        window_start timestamptz NOT NULL,
        hits integer NOT NULL,
        PRIMARY KEY (scope, key, window_start)
      )`);
    await q.query(`CREATE INDEX request_counts_window ON request_counts (window_start)`);
    await q.query(`REVOKE ALL ON request_counts FROM ${APP_ROLE}`);
    await q.query(`CREATE ${REQUEST_COUNT_TAKE_V1}`);
    await q.query(`REVOKE ALL ON FUNCTION request_count_take(text, text, int) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION request_count_take(text, text, int) TO ${APP_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION request_count_take(text, text, int)`);
    await q.query(`DROP TABLE request_counts`);
  }
}
