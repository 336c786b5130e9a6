import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../src/database/roles';

/**
 * How long an organisation's next e-mail fan-out may wait: until its sending clock
 * (EmailSendingBudget) is back within the burst tolerance. A fan-out that would only schedule mail
 * minutes ahead waits instead, so that its recipients and deliveries are worked out at the pace its
 * mail leaves, not at the pace its bulletins are published.
 */
export class EmailFanoutPacing1767801600000 implements MigrationInterface {
  name = 'EmailFanoutPacing1767801600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION email_backlog_ms(p_organisation uuid, p_tolerance_ms float8) RETURNS int
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
          SELECT coalesce(max(greatest(0, ceil(
            extract(epoch FROM paid_until - clock_timestamp()) * 1000 - p_tolerance_ms))::int), 0)
            FROM email_sending_budgets WHERE organisation_id = p_organisation
        $$`);
    await q.query(`REVOKE ALL ON FUNCTION email_backlog_ms(uuid, float8) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION email_backlog_ms(uuid, float8) TO ${APP_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION email_backlog_ms(uuid, float8)`);
  }
}
