import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../src/database/roles';

/**
 * How many organisations a person belongs to, whoever asks: an organisation admin resets the sign-in
 * factors only of someone who is nobody else's member (row-level security shows the admin only their
 * own organisation's memberships).
 */
export class SignInFactorReset1768233600000 implements MigrationInterface {
  name = 'SignInFactorReset1768233600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION user_membership_count(p_user uuid) RETURNS int
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
          SELECT count(*)::int FROM memberships WHERE user_id = p_user
        $$`);
    await q.query(`REVOKE ALL ON FUNCTION user_membership_count(uuid) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION user_membership_count(uuid) TO ${APP_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION user_membership_count(uuid)`);
  }
}
