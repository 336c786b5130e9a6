import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { MemberRole, OrganisationType } from '../common/organisation-type';
import type { AdmittingRule } from './ability.factory';

/** What the ability is built from: the rules that admit an organisation, a recipient's standing. */
@Injectable()
export class SharingRepository {
  /**
   * For each organisation, the sharing rules that admit it (one query for all).
   * sharing_rules_admitting (a SQL function, see the TenantIsolation migration) is the single definition
   * of audience matching, shared with the row-level security policies.
   */
  async admittingRules(em: EntityManager, organisationIds: string[]): Promise<Map<string, AdmittingRule[]>> {
    const rows: (AdmittingRule & { audience_org: string })[] = await em.query(
      `SELECT r.id, r.subject, r.organisation_id AS "organisationId", r.categories, r.max_tlp AS "maxTlp",
              r.valid_until AS "validUntil", o.org AS audience_org
         FROM unnest($1::uuid[]) AS o(org)
         CROSS JOIN LATERAL sharing_rules_admitting(o.org) AS admitted(rule_id)
         JOIN sharing_rules r ON r.id = admitted.rule_id
        ORDER BY r.created_at, r.id`,
      [organisationIds],
    );
    const byOrg = new Map<string, AdmittingRule[]>();
    for (const { audience_org, ...rule } of rows) byOrg.set(audience_org, [...(byOrg.get(audience_org) ?? []), rule]);
    return byOrg;
  }

  /** Active organisations other than `owner` that an audience admits (audience_admits, as for saved rules). */
  async admittedBy(
    em: EntityManager,
    audience: { organisationIds: string[]; organisationTypes: string[]; ports: string[] },
    owner: string | null,
    limit: number,
  ): Promise<{ count: number; organisations: { id: string; name: string }[] }> {
    const rows: { id: string; name: string; count: number }[] = await em.query(
      `SELECT o.id, o.name, count(*) OVER ()::int AS count FROM organisations o
        WHERE o.status = 'ACTIVE' AND o.id IS DISTINCT FROM $4
          AND audience_admits($1::uuid[], $2::text[], $3::text[], o.id, o.type, o.ports)
        ORDER BY o.name, o.id LIMIT $5`,
      [audience.organisationIds, audience.organisationTypes, audience.ports, owner, limit],
    );
    return { count: rows[0]?.count ?? 0, organisations: rows.map(({ id, name }) => ({ id, name })) };
  }

  /** The organisation's issued TLP:AMBER bulletins in `categories` (empty: all), newest first. */
  async amberBulletins(
    em: EntityManager,
    organisationId: string,
    categories: string[],
    limit: number,
  ): Promise<{
    count: number;
    bulletins: { id: string; title: string; category: string; publishedAt: Date | null }[];
  }> {
    const rows: { id: string; title: string; category: string; publishedAt: Date | null; count: number }[] =
      await em.query(
        `SELECT id, title, category, published_at AS "publishedAt", count(*) OVER ()::int AS count FROM bulletins
          WHERE organisation_id = $1 AND tlp = 'AMBER' AND status = 'PUBLISHED'
            AND (cardinality($2::text[]) = 0 OR category = ANY($2::text[]))
          ORDER BY listed_at DESC, id DESC LIMIT $3`,
        [organisationId, categories, limit],
      );
    return { count: rows[0]?.count ?? 0, bulletins: rows.map(({ count: _, ...b }) => b) };
  }

  /** The user's role in the organisation and its type, if the user is active, a member, and the organisation active. */
  async standing(
    em: EntityManager,
    userId: string,
    organisationId: string,
  ): Promise<{ role: MemberRole; type: OrganisationType } | undefined> {
    const [row]: { role: MemberRole; type: OrganisationType }[] = await em.query(
      `SELECT role, type FROM member_standing($1, $2)`,
      [userId, organisationId],
    );
    return row;
  }
}
