import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../src/database/roles';

/**
 * A budget of time for each organisation's heavy work (cross-matches, imports, exports, TAXII scans),
 * shared by every worker and instance. `paid_until` is a virtual clock (GCRA): each operation that
 * kept the share busy for t moves it on by t / busy share, from when the operation started or from
 * where it stood if later; the next operation may start once `paid_until` is at most the burst
 * tolerance ahead of now. Not tenant data (an organisation id and a time); the application reaches it
 * only through these two functions.
 */
export class HeavyWorkBudget1767456000000 implements MigrationInterface {
  name = 'HeavyWorkBudget1767456000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE heavy_work_budgets (holder text PRIMARY KEY, paid_until timestamptz NOT NULL)`);
    await q.query(`REVOKE ALL ON heavy_work_budgets FROM ${APP_ROLE}`);
    await q.query(`
      CREATE FUNCTION heavy_work_wait_ms(p_holder text, p_tolerance_ms int) RETURNS int
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
          SELECT coalesce(max(greatest(0, ceil(
            extract(epoch FROM paid_until - clock_timestamp()) * 1000 - p_tolerance_ms))::int), 0)
            FROM heavy_work_budgets WHERE holder = p_holder
        $$`);
    await q.query(`
      CREATE FUNCTION heavy_work_charge(p_holder text, p_busy_ms int, p_span_ms int) RETURNS void
        LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
          DELETE FROM heavy_work_budgets WHERE paid_until < clock_timestamp() - interval '1 day';
          INSERT INTO heavy_work_budgets AS b (holder, paid_until)
            VALUES (p_holder, clock_timestamp() + (p_span_ms - p_busy_ms) * interval '1 millisecond')
            ON CONFLICT (holder) DO UPDATE SET paid_until =
              greatest(b.paid_until, clock_timestamp() - p_busy_ms * interval '1 millisecond')
                + p_span_ms * interval '1 millisecond';
        $$`);
    for (const signature of ['heavy_work_wait_ms(text, int)', 'heavy_work_charge(text, int, int)']) {
      await q.query(`REVOKE ALL ON FUNCTION ${signature} FROM PUBLIC`);
      await q.query(`GRANT EXECUTE ON FUNCTION ${signature} TO ${APP_ROLE}`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION heavy_work_charge(text, int, int)`);
    await q.query(`DROP FUNCTION heavy_work_wait_ms(text, int)`);
    await q.query(`DROP TABLE heavy_work_budgets`);
  }
}
