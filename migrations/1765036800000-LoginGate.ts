import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Failed sign-ins counted per (account, source), not per account: five wrong passwords from one
 * address lock that address out of that account, with a lock that doubles on each further failure,
 * while the owner signing in from elsewhere is not locked out by a stranger. `source` is a keyed hash
 * of the client address, never the address itself. Not tenant data (it precedes authentication),
 * like `users`, so outside row-level security; rows of past failures are deleted on success.
 */
export class LoginGate1765036800000 implements MigrationInterface {
  name = 'LoginGate1765036800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE login_failures (
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        source bytea NOT NULL,
        failures integer NOT NULL,
        last_failure_at timestamptz NOT NULL,
        locked_until timestamptz,
        PRIMARY KEY (user_id, source)
      )`);
    await q.query(
      `ALTER TABLE users DROP COLUMN failed_login_count, DROP COLUMN failed_login_window_start, DROP COLUMN locked_until`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users ADD COLUMN failed_login_count integer NOT NULL DEFAULT 0,
      ADD COLUMN failed_login_window_start timestamptz, ADD COLUMN locked_until timestamptz`);
    await q.query(`DROP TABLE login_failures`);
  }
}
