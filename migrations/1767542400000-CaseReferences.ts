import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../src/database/roles';

/**
 * A short reference per case, so that handlers can tell three bribery reports of the same day apart
 * and name one to each other. Random (8 characters of an alphabet without look-alikes, about 2^40):
 * nothing in it comes from the reporter, the report or its receipt. Not unique by constraint: a
 * collision would make an intake fail, and a lost report is worse than two cases sharing a reference.
 */
export class CaseReferences1767542400000 implements MigrationInterface {
  name = 'CaseReferences1767542400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION case_reference() RETURNS text LANGUAGE sql VOLATILE AS $$
        SELECT substr(r, 1, 4) || '-' || substr(r, 5, 4)
          FROM (SELECT string_agg(substr('23456789ABCDEFGHJKLMNPQRSTUVWXYZ', 1 + get_byte(b, i) % 32, 1), '' ORDER BY i) AS r
                  FROM (SELECT decode(md5(gen_random_uuid()::text), 'hex') AS b) AS random, generate_series(0, 7) AS i) AS chars
      $$`);
    await q.query(`GRANT EXECUTE ON FUNCTION case_reference() TO ${APP_ROLE}`);
    // Existing cases get one each (a volatile default is evaluated per row).
    await q.query(`ALTER TABLE whistleblower_cases ADD COLUMN reference text NOT NULL DEFAULT case_reference()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE whistleblower_cases DROP COLUMN reference`);
    await q.query(`DROP FUNCTION case_reference()`);
  }
}
