import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../src/database/roles';

/** /metrics counts failed e-mail deliveries across organisations: a number, no rows. */
export class Operations1764864000000 implements MigrationInterface {
  name = 'Operations1764864000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION notification_failure_count() RETURNS bigint
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT count(*) FROM notification_deliveries WHERE status = 'FAILED'
      $$`);
    await q.query(`REVOKE ALL ON FUNCTION notification_failure_count() FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION notification_failure_count() TO ${APP_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION notification_failure_count()`);
  }
}
