import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../src/database/roles';

/**
 * A sending rate for each organisation's alert e-mail, shared by every worker and instance: a fan-out
 * schedules its batches on the author organisation's virtual clock (GCRA). `paid_until` moves on by
 * one emission interval per mail, from now or from where it stood if later; a batch may start once the
 * clock is at most the burst tolerance ahead of now, and is given that start. Not tenant data (an
 * organisation id and a time); the application reaches it only through `email_schedule`.
 */
export class EmailSendingBudget1767715200000 implements MigrationInterface {
  name = 'EmailSendingBudget1767715200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE email_sending_budgets (organisation_id uuid PRIMARY KEY, paid_until timestamptz NOT NULL)`,
    );
    await q.query(`REVOKE ALL ON email_sending_budgets FROM ${APP_ROLE}`);
    // The row stays locked until the fan-out commits: one organisation's fan-outs schedule one after
    // the other, other organisations' never wait for them.
    await q.query(`
      CREATE FUNCTION email_schedule(p_organisation uuid, p_sizes int[], p_interval_ms float8, p_tolerance_ms float8)
        RETURNS int[] LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        DECLARE
          v_now timestamptz := clock_timestamp();
          v_clock timestamptz;
          v_size int;
          v_starts int[] := '{}';
        BEGIN
          INSERT INTO email_sending_budgets AS b (organisation_id, paid_until) VALUES (p_organisation, v_now)
            ON CONFLICT (organisation_id) DO UPDATE SET paid_until = greatest(b.paid_until, v_now)
            RETURNING paid_until INTO v_clock;
          FOREACH v_size IN ARRAY p_sizes LOOP
            v_starts := v_starts || ceil(greatest(0,
              extract(epoch FROM v_clock - v_now) * 1000 - p_tolerance_ms))::int;
            v_clock := v_clock + v_size * p_interval_ms * interval '1 millisecond';
          END LOOP;
          UPDATE email_sending_budgets SET paid_until = v_clock WHERE organisation_id = p_organisation;
          RETURN v_starts;
        END $$`);
    await q.query(`REVOKE ALL ON FUNCTION email_schedule(uuid, int[], float8, float8) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION email_schedule(uuid, int[], float8, float8) TO ${APP_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION email_schedule(uuid, int[], float8, float8)`);
    await q.query(`DROP TABLE email_sending_budgets`);
  }
}
