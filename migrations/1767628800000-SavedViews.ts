import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Saved views of the feed: a person's named filter, order and columns (the console's address
 * parameters), kept to themselves or shared with their organisation, one of them their default.
 */
export class SavedViews1767628800000 implements MigrationInterface {
  name = 'SavedViews1767628800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE saved_views (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid NOT NULL REFERENCES organisations(id),
        user_id uuid NOT NULL REFERENCES users(id),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 80),
        query text NOT NULL CHECK (length(query) <= 2000),
        shared boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (organisation_id, user_id, name)
      )`);
    await q.query(`CREATE INDEX saved_views_shared_idx ON saved_views (organisation_id) WHERE shared`);
    await q.query(`
      CREATE TABLE saved_view_defaults (
        user_id uuid NOT NULL REFERENCES users(id),
        organisation_id uuid NOT NULL REFERENCES organisations(id),
        view_id uuid NOT NULL REFERENCES saved_views(id) ON DELETE CASCADE,
        PRIMARY KEY (user_id, organisation_id)
      )`);
    await q.query(`CREATE INDEX saved_view_defaults_view_idx ON saved_view_defaults (view_id)`);
    // One's own views, and the views one's colleagues share, in the organisation one acts for.
    for (const table of ['saved_views', 'saved_view_defaults']) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
      await q.query(`
        CREATE POLICY ${table}_own ON ${table} FOR ALL
        USING (user_id = app_user_id() AND organisation_id = app_org_id())
        WITH CHECK (user_id = app_user_id() AND organisation_id = app_org_id())`);
    }
    await q.query(`
      CREATE POLICY saved_views_shared ON saved_views FOR SELECT
      USING (shared AND organisation_id = app_org_id())`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE saved_view_defaults`);
    await q.query(`DROP TABLE saved_views`);
  }
}
