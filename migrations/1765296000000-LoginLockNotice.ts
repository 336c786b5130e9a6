import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Failed sign-ins are counted per (account, source) where the account is a keyed hash of the e-mail
 * address entered, whether or not an account has it: a sign-in can then say "locked until 14:05"
 * without telling a stranger which addresses have accounts (unknown ones lock the same way). The
 * counters of the old key cannot be carried over (the key needs the server's secret): they start afresh.
 */
export class LoginLockNotice1765296000000 implements MigrationInterface {
  name = 'LoginLockNotice1765296000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM login_failures`);
    await q.query(`ALTER TABLE login_failures DROP CONSTRAINT login_failures_pkey`);
    await q.query(`ALTER TABLE login_failures ALTER COLUMN user_id DROP NOT NULL, ADD COLUMN account bytea NOT NULL`);
    await q.query(`ALTER TABLE login_failures ADD PRIMARY KEY (account, source)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM login_failures`);
    await q.query(`ALTER TABLE login_failures DROP CONSTRAINT login_failures_pkey`);
    await q.query(`ALTER TABLE login_failures DROP COLUMN account, ALTER COLUMN user_id SET NOT NULL`);
    await q.query(`ALTER TABLE login_failures ADD PRIMARY KEY (user_id, source)`);
  }
}
