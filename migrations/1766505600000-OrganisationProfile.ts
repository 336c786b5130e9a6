import { MigrationInterface, QueryRunner } from 'typeorm';

/** An organisation's contact point, which its admins keep: whom other members call to follow up (a cross-match hit, an alert). */
export class OrganisationProfile1766505600000 implements MigrationInterface {
  name = 'OrganisationProfile1766505600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE organisations ADD COLUMN contact_name text, ADD COLUMN contact_email text, ADD COLUMN contact_phone text`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      `ALTER TABLE organisations DROP COLUMN contact_phone, DROP COLUMN contact_email, DROP COLUMN contact_name`,
    );
  }
}
