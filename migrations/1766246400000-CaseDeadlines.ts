import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../src/database/roles';
import { OUTBOX_SCHEMA, QUEUE } from '../src/outbox/outbox-queues';

/**
 * The EU Whistleblowing Directive's (2019/1937, art. 9) deadlines on every case: acknowledge within 7
 * days of receipt, give feedback within 3 months of the acknowledgement (or of the end of those 7
 * days when none was sent). The deadlines are columns computed from the dates (days only, as the rest
 * of a case). A daily reminder tells each organisation's handlers how many cases need attention; the
 * job finds organisations with open cases through a SECURITY DEFINER function (no request identity)
 * and sends at most one mail per organisation and day (`case_reminders`).
 */
export class CaseDeadlines1766246400000 implements MigrationInterface {
  name = 'CaseDeadlines1766246400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE whistleblower_cases ADD COLUMN acknowledged_on date, ADD COLUMN feedback_on date`);
    await q.query(`
      ALTER TABLE whistleblower_cases
        ADD COLUMN acknowledge_by date GENERATED ALWAYS AS (received_on + 7) STORED,
        ADD COLUMN feedback_by date GENERATED ALWAYS AS
          ((coalesce(acknowledged_on, received_on + 7) + interval '3 months')::date) STORED`);
    await q.query(`
      CREATE TABLE case_reminders (
        organisation_id uuid NOT NULL REFERENCES organisations(id),
        day date NOT NULL,
        cases int NOT NULL,
        sent_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (organisation_id, day)
      )`);
    await q.query(`ALTER TABLE case_reminders ENABLE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE case_reminders FORCE ROW LEVEL SECURITY`);
    await q.query(`
      CREATE POLICY case_reminders_own ON case_reminders FOR ALL
      USING (organisation_id = app_org_id()) WITH CHECK (organisation_id = app_org_id())`);
    await q.query(`
      CREATE FUNCTION whistleblower_open_case_organisations() RETURNS SETOF uuid
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT DISTINCT c.organisation_id FROM whistleblower_cases c
          JOIN organisations o ON o.id = c.organisation_id AND o.status = 'ACTIVE'
         WHERE c.status <> 'CLOSED'
      $$`);
    await q.query(`REVOKE ALL ON FUNCTION whistleblower_open_case_organisations() FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION whistleblower_open_case_organisations() TO ${APP_ROLE}`);
    await q.query(`SELECT ${OUTBOX_SCHEMA}.create_queue($1, $2::json)`, [
      QUEUE.caseReminders,
      JSON.stringify({ policy: 'standard', retryLimit: 5, retryDelay: 60, retryBackoff: true }),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`SELECT ${OUTBOX_SCHEMA}.delete_queue($1)`, [QUEUE.caseReminders]);
    await q.query(`DROP FUNCTION whistleblower_open_case_organisations()`);
    await q.query(`DROP TABLE case_reminders`);
    await q.query(`
      ALTER TABLE whistleblower_cases DROP COLUMN feedback_by, DROP COLUMN acknowledge_by,
        DROP COLUMN feedback_on, DROP COLUMN acknowledged_on`);
  }
}
