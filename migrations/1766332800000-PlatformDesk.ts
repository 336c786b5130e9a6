import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The platform administrators' desk: they read the whole audit trail (to verify its hash chain and
 * answer for the platform), each verification run from the console is kept with its outcome and
 * time, and every server process says it is alive (`server_instances`, a heartbeat) so the health
 * view can count instances. Neither table holds tenant data.
 */
export class PlatformDesk1766332800000 implements MigrationInterface {
  name = 'PlatformDesk1766332800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`DROP POLICY audit_events_read ON audit_events`);
    await q.query(`
      CREATE POLICY audit_events_read ON audit_events FOR SELECT
      USING (actor_organisation_id = app_org_id() OR subject_organisation_id = app_org_id() OR app_is_platform_admin())`);
    await q.query(`
      CREATE TABLE audit_verifications (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        verified_at timestamptz NOT NULL DEFAULT now(),
        verified_by uuid REFERENCES users(id),
        ok boolean NOT NULL,
        events bigint NOT NULL,
        failed_seq bigint,
        reason text,
        milliseconds int NOT NULL
      )`);
    await q.query(`ALTER TABLE audit_verifications ENABLE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE audit_verifications FORCE ROW LEVEL SECURITY`);
    await q.query(`
      CREATE POLICY audit_verifications_platform ON audit_verifications FOR ALL
      USING (app_is_platform_admin()) WITH CHECK (app_is_platform_admin())`);
    await q.query(`
      CREATE TABLE server_instances (
        id uuid PRIMARY KEY,
        host text NOT NULL,
        pid int NOT NULL,
        started_at timestamptz NOT NULL DEFAULT now(),
        seen_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE server_instances`);
    await q.query(`DROP TABLE audit_verifications`);
    await q.query(`DROP POLICY audit_events_read ON audit_events`);
    await q.query(`
      CREATE POLICY audit_events_read ON audit_events FOR SELECT
      USING (actor_organisation_id = app_org_id() OR subject_organisation_id = app_org_id())`);
  }
}
