import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../src/database/roles';
import { OUTBOX_SCHEMA, QUEUE } from '../src/outbox/outbox-queues';

/** Who to ask: the authors of the `p_cap` most recent other issued bulletins per shared value that no
 * platform exclusion covers, at most `p_limit` people. Names people, never what they wrote. */
export const CORRELATION_CANDIDATES_V1 = `
      CREATE FUNCTION correlation_candidates(p_bulletin uuid, p_keys text[], p_cap int, p_limit int)
        RETURNS TABLE (user_id uuid, organisation_id uuid)
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        WITH keys AS (
          SELECT DISTINCT i.search_key FROM bulletin_indicators i
           WHERE i.bulletin_id = p_bulletin AND (p_keys IS NULL OR i.search_key = ANY(p_keys))
             AND NOT EXISTS (SELECT 1 FROM correlation_exclusions x WHERE x.organisation_id IS NULL
                   AND (x.search_key = i.search_key OR (x.prefix AND starts_with(i.search_key, x.search_key))))
        )
        SELECT DISTINCT hit.author_user_id, hit.organisation_id FROM keys k
        CROSS JOIN LATERAL (
          SELECT b.author_user_id, b.organisation_id FROM bulletin_indicators o
            JOIN bulletins b ON b.id = o.bulletin_id
           WHERE o.search_key = k.search_key AND o.bulletin_id <> p_bulletin
             AND b.status IN ('PUBLISHED', 'RETRACTED') AND b.author_user_id IS NOT NULL
           ORDER BY b.listed_at DESC LIMIT p_cap
        ) hit
        LIMIT p_limit
      $$`;

/**
 * Correlation between bulletins, computed when read under the reader's ability and row-level security
 * (src/correlation). Stored here only:
 * - exclusions: values that would correlate with everything (a public resolver, a carrier's prefix),
 *   per organisation or, with no organisation, for the platform; read by every member of the
 *   organisation (platform ones by everyone), written by the application for admins only;
 * - notices telling an author that a later bulletin shares indicators with theirs: the person's own,
 *   shown only while they may still read both bulletins;
 * - whether a person wants those notices by e-mail as well;
 * - `correlation_candidates`, which names the authors of other bulletins sharing a value (never
 *   content): the correlation job then asks, acting as each, what that person may read.
 */
export class Correlation1768579200000 implements MigrationInterface {
  name = 'Correlation1768579200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE correlation_exclusions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organisation_id uuid REFERENCES organisations(id),
        type text NOT NULL,
        value text NOT NULL,
        search_key text NOT NULL CHECK (length(search_key) BETWEEN 1 AND 500),
        prefix boolean NOT NULL DEFAULT false,
        note text NOT NULL DEFAULT '' CHECK (length(note) <= 500),
        created_by uuid NOT NULL REFERENCES users(id),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      `CREATE UNIQUE INDEX correlation_exclusions_key ON correlation_exclusions (coalesce(organisation_id, '00000000-0000-0000-0000-000000000000'::uuid), search_key, prefix)`,
    );
    await q.query(`
      CREATE TABLE correlation_notices (
        id bigserial PRIMARY KEY,
        user_id uuid NOT NULL REFERENCES users(id),
        organisation_id uuid NOT NULL REFERENCES organisations(id),
        bulletin_id uuid NOT NULL REFERENCES bulletins(id),
        related_bulletin_id uuid NOT NULL REFERENCES bulletins(id),
        kind text NOT NULL CHECK (kind IN ('BULLETIN', 'SIGHTING')),
        created_at timestamptz NOT NULL DEFAULT now(),
        seen_at timestamptz,
        UNIQUE (user_id, bulletin_id, related_bulletin_id, kind)
      )`);
    await q.query(`CREATE INDEX correlation_notices_user_idx ON correlation_notices (user_id, created_at DESC)`);
    await q.query(`ALTER TABLE users ADD COLUMN correlation_mail boolean NOT NULL DEFAULT false`);

    for (const table of ['correlation_exclusions', 'correlation_notices']) {
      await q.query(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
      await q.query(`ALTER TABLE ${table} FORCE ROW LEVEL SECURITY`);
    }
    await q.query(`
      CREATE POLICY correlation_exclusions_read ON correlation_exclusions FOR SELECT
      USING (organisation_id IS NULL OR organisation_id = app_org_id() OR app_is_platform_admin())`);
    await q.query(`
      CREATE POLICY correlation_exclusions_write ON correlation_exclusions FOR ALL
      USING ((organisation_id IS NULL AND app_is_platform_admin()) OR organisation_id = app_org_id())
      WITH CHECK ((organisation_id IS NULL AND app_is_platform_admin()) OR organisation_id = app_org_id())`);
    await q.query(`
      CREATE POLICY correlation_notices_own ON correlation_notices FOR ALL
      USING (user_id = app_user_id() AND organisation_id = app_org_id())
      WITH CHECK (user_id = app_user_id() AND organisation_id = app_org_id())`);

    await q.query(CORRELATION_CANDIDATES_V1);
    await q.query(`REVOKE ALL ON FUNCTION correlation_candidates(uuid, text[], int, int) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION correlation_candidates(uuid, text[], int, int) TO ${APP_ROLE}`);
    await q.query(`SELECT ${OUTBOX_SCHEMA}.create_queue($1, $2::json)`, [
      QUEUE.correlation,
      JSON.stringify({ policy: 'standard', retryLimit: 5, retryDelay: 10, retryBackoff: true }),
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`SELECT ${OUTBOX_SCHEMA}.delete_queue($1)`, [QUEUE.correlation]);
    await q.query(`DROP FUNCTION correlation_candidates(uuid, text[], int, int)`);
    await q.query(`ALTER TABLE users DROP COLUMN correlation_mail`);
    await q.query(`DROP TABLE correlation_notices`);
    await q.query(`DROP TABLE correlation_exclusions`);
  }
}
