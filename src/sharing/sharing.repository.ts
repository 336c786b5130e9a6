import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { MemberRole, OrganisationType } from '../organisations/organisation-type';
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
