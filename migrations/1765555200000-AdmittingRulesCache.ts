import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every instance keeps each organisation's admitting sharing rules in memory (AdmittingRulesCache) and
 * drops them all when this notification arrives: after any committed change to sharing rules or to
 * organisations (an organisation's type, ports and status decide which rules admit it). One per
 * statement; NOTIFY is delivered at commit, never for a rolled-back change.
 */
export class AdmittingRulesCache1765555200000 implements MigrationInterface {
  name = 'AdmittingRulesCache1765555200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION notify_sharing_changed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('sharing_changed', TG_TABLE_NAME);
        RETURN NULL;
      END $$`);
    for (const table of ['sharing_rules', 'organisations']) {
      await q.query(`
        CREATE TRIGGER ${table}_notify_sharing AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON ${table}
        FOR EACH STATEMENT EXECUTE FUNCTION notify_sharing_changed()`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['sharing_rules', 'organisations']) {
      await q.query(`DROP TRIGGER ${table}_notify_sharing ON ${table}`);
    }
    await q.query(`DROP FUNCTION notify_sharing_changed()`);
  }
}
