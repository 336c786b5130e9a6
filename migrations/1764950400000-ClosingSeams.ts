import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../src/database/roles';

/**
 * Row-level security admits exactly what the CASL ability admits (src/sharing/ability.factory.ts):
 * - a bulletin version is authorised by its own marking and audience, so revising AMBER_STRICT to GREEN
 *   does not open version 1 to everyone: versions carry their marking columns, and their policy
 *   requires both the bulletin (current version) and the version itself to admit the reader;
 * - an AMBER bulletin is widened only by a sharing rule that admits the reading organisation now
 *   (sharing_rules_admitting: audience, validity, active owner), not by any rule the reader can see;
 * - users_in_good_standing: which of some users are active with an active membership, for whoCanSee
 *   (a named TLP:RED recipient who was removed since no longer reads the bulletin).
 */
export class ClosingSeams1764950400000 implements MigrationInterface {
  name = 'ClosingSeams1764950400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE bulletin_versions
        ADD COLUMN tlp text, ADD COLUMN category text,
        ADD COLUMN recipient_organisation_ids uuid[] NOT NULL DEFAULT '{}',
        ADD COLUMN recipient_user_ids uuid[] NOT NULL DEFAULT '{}'`);
    await q.query(`
      UPDATE bulletin_versions SET
        tlp = content->>'tlp', category = content->>'category',
        recipient_organisation_ids = ARRAY(SELECT jsonb_array_elements_text(coalesce(content->'recipientOrganisationIds', '[]')))::uuid[],
        recipient_user_ids = ARRAY(SELECT jsonb_array_elements_text(coalesce(content->'recipientUserIds', '[]')))::uuid[]`);
    await q.query(`ALTER TABLE bulletin_versions ALTER COLUMN tlp SET NOT NULL, ALTER COLUMN category SET NOT NULL`);

    await q.query(`DROP POLICY bulletins_read ON bulletins`);
    await q.query(`CREATE POLICY bulletins_read ON bulletins FOR SELECT USING (${markingAdmits(BULLETIN_MARKING)})`);
    await q.query(`DROP POLICY bulletin_versions_read ON bulletin_versions`);
    // The bulletin's own policy applies inside EXISTS: the reader must see the bulletin and the version.
    await q.query(`CREATE POLICY bulletin_versions_read ON bulletin_versions FOR SELECT USING (
      EXISTS (SELECT 1 FROM bulletins b WHERE b.id = bulletin_versions.bulletin_id AND ${markingAdmits(VERSION_MARKING)}))`);
    // Memberships of other organisations are hidden from the caller: a narrow answer, ids only.
    await q.query(`
      CREATE FUNCTION users_in_good_standing(p_users uuid[]) RETURNS SETOF uuid
        LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
        SELECT u.id FROM users u
         WHERE u.id = ANY(p_users) AND u.status = 'ACTIVE'
           AND EXISTS (SELECT 1 FROM memberships m JOIN organisations o ON o.id = m.organisation_id AND o.status = 'ACTIVE'
                        WHERE m.user_id = u.id)
      $$`);
    await q.query(`REVOKE ALL ON FUNCTION users_in_good_standing(uuid[]) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION users_in_good_standing(uuid[]) TO ${APP_ROLE}`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION users_in_good_standing(uuid[])`);
    await q.query(`DROP POLICY bulletin_versions_read ON bulletin_versions`);
    await q.query(`CREATE POLICY bulletin_versions_read ON bulletin_versions FOR SELECT
      USING (EXISTS (SELECT 1 FROM bulletins b WHERE b.id = bulletin_id))`);
    await q.query(`DROP POLICY bulletins_read ON bulletins`);
    await q.query(`CREATE POLICY bulletins_read ON bulletins FOR SELECT USING (
         author_user_id = app_user_id()
      OR (organisation_id = app_org_id() AND tlp <> 'RED')
      OR (status IN ('PUBLISHED', 'RETRACTED') AND (
            (tlp IN ('CLEAR', 'GREEN') AND app_org_id() IS NOT NULL)
         OR (tlp IN ('AMBER', 'AMBER_STRICT') AND app_org_id() = ANY(recipient_organisation_ids))
         OR (tlp = 'RED' AND app_user_id() = ANY(recipient_user_ids))
         OR (tlp = 'AMBER' AND EXISTS (
              SELECT 1 FROM sharing_rules r
               WHERE r.subject = 'BULLETIN' AND r.max_tlp = 'AMBER'
                 AND (r.organisation_id IS NULL OR r.organisation_id = bulletins.organisation_id)
                 AND (cardinality(r.categories) = 0 OR bulletins.category = ANY(r.categories))))))
    )`);
    await q.query(`ALTER TABLE bulletin_versions DROP COLUMN tlp, DROP COLUMN category,
      DROP COLUMN recipient_organisation_ids, DROP COLUMN recipient_user_ids`);
  }
}

export interface MarkingColumns {
  authorUser: string;
  authorOrg: string;
  status: string;
  tlp: string;
  category: string;
  recipientOrgs: string;
  recipientUsers: string;
}

/** A bulletin's current marking, in its own policy. */
export const BULLETIN_MARKING: MarkingColumns = {
  authorUser: 'bulletins.author_user_id',
  authorOrg: 'bulletins.organisation_id',
  status: 'bulletins.status',
  tlp: 'bulletins.tlp',
  category: 'bulletins.category',
  recipientOrgs: 'bulletins.recipient_organisation_ids',
  recipientUsers: 'bulletins.recipient_user_ids',
};

/** A version's marking, in the versions' policy (`b` the bulletin it belongs to). */
export const VERSION_MARKING: MarkingColumns = {
  authorUser: 'b.author_user_id',
  authorOrg: 'bulletin_versions.organisation_id',
  status: 'b.status',
  tlp: 'bulletin_versions.tlp',
  category: 'bulletin_versions.category',
  recipientOrgs: 'bulletin_versions.recipient_organisation_ids',
  recipientUsers: 'bulletin_versions.recipient_user_ids',
};

/** An AMBER marking widened by a sharing rule that admits the reading organisation now. */
const admittedByRule = (c: MarkingColumns) => `EXISTS (
            SELECT 1 FROM sharing_rules r
             WHERE r.id IN (SELECT sharing_rules_admitting(app_org_id()))
               AND r.subject = 'BULLETIN' AND r.max_tlp = 'AMBER'
               AND (r.organisation_id IS NULL OR r.organisation_id = ${c.authorOrg})
               AND (cardinality(r.categories) = 0 OR ${c.category} = ANY(r.categories)))`;

/**
 * The TLP table of ARCHITECTURE.md §2 over one marking (a bulletin's current one, or a version's).
 * Columns come qualified: inside the rule subquery an unqualified name would mean the rule's.
 */
export function markingAdmits(c: MarkingColumns, byRule: (c: MarkingColumns) => string = admittedByRule): string {
  return `(
       ${c.authorUser} = app_user_id()
    OR (${c.authorOrg} = app_org_id() AND ${c.tlp} <> 'RED')
    OR (${c.status} IN ('PUBLISHED', 'RETRACTED') AND (
          (${c.tlp} IN ('CLEAR', 'GREEN') AND app_org_id() IS NOT NULL)
       OR (${c.tlp} IN ('AMBER', 'AMBER_STRICT') AND app_org_id() = ANY(${c.recipientOrgs}))
       OR (${c.tlp} = 'RED' AND app_user_id() = ANY(${c.recipientUsers}))
       OR (${c.tlp} = 'AMBER' AND ${byRule(c)})))
  )`;
}
