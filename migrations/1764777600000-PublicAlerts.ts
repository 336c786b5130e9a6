import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../src/database/roles';

/**
 * TLP:CLEAR bulletins are public (ARCHITECTURE.md §2): the anonymous CAP feed reads them through this
 * one function, since row-level security shows an anonymous request nothing. It returns issued CLEAR
 * bulletins only, and never their recipients.
 */
export class PublicAlerts1764777600000 implements MigrationInterface {
  name = 'PublicAlerts1764777600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION public_bulletins(only_id uuid, max int)
        RETURNS TABLE (id uuid, status text, version int, title text, summary text, body text, category text, severity text,
                       urgency text, certainty text, ports text[], tlp text, valid_until timestamptz, published_at timestamptz,
                       updated_at timestamptz, author_name text, indicators jsonb)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT b.id, b.status, b.version, b.title, b.summary, b.body, b.category, b.severity, b.urgency, b.certainty, b.ports, b.tlp,
               b.valid_until, b.published_at, b.updated_at, o.name,
               coalesce((SELECT jsonb_agg(jsonb_build_object('type', i.type, 'value', i.value) ORDER BY i.id)
                           FROM bulletin_indicators i WHERE i.bulletin_id = b.id), '[]'::jsonb)
          FROM bulletins b JOIN organisations o ON o.id = b.organisation_id
         WHERE b.tlp = 'CLEAR' AND b.status IN ('PUBLISHED', 'RETRACTED') AND (only_id IS NULL OR b.id = only_id)
         ORDER BY b.updated_at DESC, b.id DESC
         LIMIT max
      $$`);
    await q.query(`REVOKE ALL ON FUNCTION public_bulletins(uuid, int) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION public_bulletins(uuid, int) TO ${APP_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION public_bulletins(uuid, int)`);
  }
}
