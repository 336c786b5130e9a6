import { MigrationInterface, QueryRunner } from 'typeorm';
import { APP_ROLE } from '../src/database/roles';

/**
 * "An audience admits an organisation" gets a definition of its own, `audience_admits`, so that a rule
 * not yet saved (the sharing-rule preview) is matched exactly as a saved one: sharing_rules_admitting
 * now calls it (a plain SQL function, inlined by the planner: the same plan as before).
 */
export class AudienceAdmits1766073600000 implements MigrationInterface {
  name = 'AudienceAdmits1766073600000';

  async up(q: QueryRunner): Promise<void> {
    // Kinds AND-ed, values within a kind OR-ed, an empty kind unconstrained.
    await q.query(`
      CREATE FUNCTION audience_admits(p_ids uuid[], p_types text[], p_ports text[], o_id uuid, o_type text, o_ports text[])
        RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
        SELECT (cardinality(p_ids) = 0 OR o_id = ANY(p_ids))
           AND (cardinality(p_types) = 0 OR o_type = ANY(p_types))
           AND (cardinality(p_ports) = 0 OR o_ports && p_ports)
      $$`);
    await q.query(
      `GRANT EXECUTE ON FUNCTION audience_admits(uuid[], text[], text[], uuid, text, text[]) TO ${APP_ROLE}`,
    );
    await q.query(
      admitting(
        'audience_admits(r.audience_organisation_ids, r.audience_organisation_types, r.audience_ports, o.id, o.type, o.ports)',
      ),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(
      admitting(`(cardinality(r.audience_organisation_ids) = 0 OR o.id = ANY(r.audience_organisation_ids))
       AND (cardinality(r.audience_organisation_types) = 0 OR o.type = ANY(r.audience_organisation_types))
       AND (cardinality(r.audience_ports) = 0 OR o.ports && r.audience_ports)`),
    );
    await q.query(`DROP FUNCTION audience_admits(uuid[], text[], text[], uuid, text, text[])`);
  }
}

/** sharing_rules_admitting as the AdmittedAmberRules migration left it, with its audience test given. */
const admitting = (audience: string) => `
  CREATE OR REPLACE FUNCTION sharing_rules_admitting(org uuid) RETURNS SETOF uuid
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp AS $$
    SELECT r.id FROM sharing_rules r
      JOIN organisations o ON o.id = org AND o.status = 'ACTIVE'
     WHERE (r.valid_until IS NULL OR r.valid_until > now())
       AND (r.organisation_id IS NULL OR r.organisation_id NOT IN (SELECT id FROM organisations WHERE status <> 'ACTIVE'))
       AND ${audience}
  $$`;
