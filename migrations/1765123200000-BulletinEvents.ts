import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The bulletin events, kept (7 days) so that no real-time subscriber misses one: an instance whose
 * LISTEN connection dropped catches up from the last event it delivered, and a client that reconnects
 * resumes from the cursor of the last event it received. Sequence numbers are taken under a
 * transaction lock, so they follow commit order and "everything after N" is exact. Ids only, like
 * the NOTIFY payload: each delivery is authorised as its subscriber, so the table is not tenant data.
 */
export class BulletinEvents1765123200000 implements MigrationInterface {
  name = 'BulletinEvents1765123200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE bulletin_events (
        seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        kind text NOT NULL,
        bulletin_id uuid NOT NULL REFERENCES bulletins(id),
        version integer NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX bulletin_events_created_at ON bulletin_events (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE bulletin_events`);
  }
}
