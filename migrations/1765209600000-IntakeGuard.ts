import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Whistleblower intake guards shared by every instance, with nothing that identifies a reporter:
 * - spent_challenges: a digest of each single-use challenge spent, kept until the day after it
 *   expires, so a challenge spent on one instance cannot be spent on another;
 * - intake_pressure: how many submissions and failed receipt guesses there were, per 10 minutes, for the
 *   last hour only (older rows are deleted as new ones come): the cost of the next challenge grows
 *   with it. No address, agent or receipt is counted or kept.
 * Neither is tenant data (intake comes before any organisation is involved): outside row-level security.
 */
export class IntakeGuard1765209600000 implements MigrationInterface {
  name = 'IntakeGuard1765209600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE spent_challenges (digest bytea PRIMARY KEY, expires_on date NOT NULL)`);
    await q.query(`
      CREATE TABLE intake_pressure (
        purpose text NOT NULL,
        bucket timestamptz NOT NULL,
        n integer NOT NULL,
        PRIMARY KEY (purpose, bucket)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE intake_pressure`);
    await q.query(`DROP TABLE spent_challenges`);
  }
}
