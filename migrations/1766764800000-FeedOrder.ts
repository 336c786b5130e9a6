import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The order in which versions (and retractions) become visible to a feed. A publishing transaction
 * writes the version (its `added_at` defaults to clock_timestamp()) and stamps a retraction only after
 * it takes the bulletin events lock, which it holds until it commits: stamps follow commit order, so a
 * TAXII client polling `added_after` never misses a version that committed late with an earlier time
 * (`published_at` is taken before the lock).
 */
export class FeedOrder1766764800000 implements MigrationInterface {
  name = 'FeedOrder1766764800000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE bulletin_versions ADD COLUMN added_at timestamptz`);
    await q.query(`UPDATE bulletin_versions SET added_at = published_at`);
    await q.query(
      `ALTER TABLE bulletin_versions ALTER COLUMN added_at SET NOT NULL, ALTER COLUMN added_at SET DEFAULT clock_timestamp()`,
    );
    await q.query(`ALTER TABLE bulletins ADD COLUMN retraction_added_at timestamptz`);
    await q.query(`UPDATE bulletins SET retraction_added_at = retracted_at WHERE retracted_at IS NOT NULL`);
    await q.query(`CREATE INDEX bulletin_versions_added_idx ON bulletin_versions (added_at, bulletin_id, version)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX bulletin_versions_added_idx`);
    await q.query(`ALTER TABLE bulletins DROP COLUMN retraction_added_at`);
    await q.query(`ALTER TABLE bulletin_versions DROP COLUMN added_at`);
  }
}
