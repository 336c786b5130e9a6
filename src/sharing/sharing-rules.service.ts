import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/actor';
import { badInput, forbidden, notFound } from '../common/errors';
import { assertAllExist } from '../common/ids-exist';
import { Connection, decodeCursor, PageArgs, toConnection } from '../common/pagination';
import { DatabaseService } from '../database/database.service';
import { BulletinCategory, VettingLevel } from '../common/categories';
import { AbilityFactory } from './ability.factory';
import { abilityToSql, canOn } from './ability-sql';
import { SharingRuleInput } from './dto/sharing.inputs';
import { SharingRule } from './sharing-rule.entity';
import { RULE_MAX_TLPS, SharingSubject, Tlp } from '../common/tlp';
import { SharingRepository } from './sharing.repository';
import { SharingRulePreview } from './dto/sharing-rule-preview.types';

const PREVIEW_ORGANISATIONS = 100;
const PREVIEW_BULLETINS = 10;

/** How the ability's fields map to SQL in this domain's list queries (docs/authorization/ability-sql.md shows the result). */
export const SHARING_RULE_COLUMNS = { organisationId: 'r.organisation_id' };

/** Categories a rule may name, per subject. */
const CATEGORIES: Record<SharingSubject, string[]> = {
  [SharingSubject.BULLETIN]: Object.values(BulletinCategory),
  // A vetting rule shares the status of records of the levels it names.
  [SharingSubject.VETTING_STATUS]: Object.values(VettingLevel),
};

@Injectable()
export class SharingRulesService {
  constructor(
    private readonly db: DatabaseService,
    private readonly abilities: AbilityFactory,
    private readonly repository: SharingRepository,
  ) {}

  async create(actor: Actor, input: SharingRuleInput): Promise<SharingRule> {
    const organisationId = input.allianceWide ? null : actor.organisationId;
    if (!canOn(await this.abilities.abilityFor(actor), 'create', 'SharingRule', { organisationId })) {
      throw forbidden(
        input.allianceWide
          ? 'Only platform admins set alliance-wide rules'
          : 'Only organisation admins manage sharing rules',
      );
    }
    await this.validate(input);
    const em = await this.db.em();
    const rule = em.create(SharingRule, { organisationId, createdBy: actor.userId, ...this.columns(input) });
    return em.save(rule);
  }

  async update(actor: Actor, id: string, input: SharingRuleInput): Promise<SharingRule> {
    const rule = await this.get(actor, id, 'update');
    if (input.allianceWide !== (rule.organisationId === null))
      throw badInput('allianceWide cannot change; create a new rule', 'allianceWide');
    await this.validate(input);
    const em = await this.db.em();
    await em.update(SharingRule, id, this.columns(input));
    return em.findOneByOrFail(SharingRule, { id });
  }

  /** Ends the rule now: it stops admitting at once and stays listed, with its end, for the record. */
  async expire(actor: Actor, id: string): Promise<SharingRule> {
    await this.get(actor, id, 'update');
    const em = await this.db.em();
    await em.update(SharingRule, id, { validUntil: new Date() });
    return em.findOneByOrFail(SharingRule, { id });
  }

  async delete(actor: Actor, id: string): Promise<boolean> {
    await this.get(actor, id, 'delete');
    await (await this.db.em()).delete(SharingRule, id);
    return true;
  }

  /**
   * What a rule would do, saved as it stands: the organisations its audience admits now and, for the
   * caller's own AMBER bulletin rule, which of the organisation's current AMBER bulletins it would open
   * to them. Alliance-wide rules show organisations only: a platform administrator reads no bulletins.
   */
  async preview(actor: Actor, input: SharingRuleInput): Promise<SharingRulePreview> {
    const owner = input.allianceWide ? null : actor.organisationId;
    if (!canOn(await this.abilities.abilityFor(actor), 'create', 'SharingRule', { organisationId: owner }))
      throw forbidden('Only organisation admins preview their sharing rules');
    await this.validate(input);
    const em = await this.db.em();
    const admitted = await this.repository.admittedBy(em, input.audience, owner, PREVIEW_ORGANISATIONS);
    // Only AMBER is widened by a rule (CLEAR and GREEN are open to every member already), and only to someone.
    const amber = !(owner && input.subject === SharingSubject.BULLETIN)
      ? null
      : admitted.count && input.maxTlp === Tlp.AMBER
        ? await this.repository.amberBulletins(em, owner, input.categories, PREVIEW_BULLETINS)
        : { count: 0, bulletins: [] };
    return {
      organisationCount: admitted.count,
      organisations: admitted.organisations,
      bulletinCount: amber?.count ?? null,
      bulletins: amber?.bulletins ?? [],
    };
  }

  /** A rule the caller may read (else NOT_FOUND) and act on (else FORBIDDEN). */
  async get(actor: Actor, id: string, action: 'read' | 'update' | 'delete' = 'read'): Promise<SharingRule> {
    const rule = await (await this.db.em()).findOneBy(SharingRule, { id });
    const ability = await this.abilities.abilityFor(actor);
    if (!rule || !canOn(ability, 'read', 'SharingRule', rule)) throw notFound('Sharing rule');
    if (!canOn(ability, action, 'SharingRule', rule)) throw forbidden('Only organisation admins manage sharing rules');
    return rule;
  }

  /** The caller's organisation's rules and the alliance-wide defaults, oldest first. */
  async list(actor: Actor, args: PageArgs): Promise<Connection<SharingRule>> {
    const visible = abilityToSql(await this.abilities.abilityFor(actor), 'read', 'SharingRule', SHARING_RULE_COLUMNS);
    const qb = (await this.db.em())
      .getRepository(SharingRule)
      .createQueryBuilder('r')
      .where(visible.sql, visible.params)
      .orderBy('r.created_at')
      .addOrderBy('r.id')
      .take(args.first + 1);
    if (args.after) {
      const [at, id] = decodeCursor(args.after, 2);
      qb.andWhere('(r.created_at, r.id) > (:at::timestamptz, :id::uuid)', { at, id });
    }
    return toConnection(await qb.getMany(), args.first, (r) => [r.createdAt.toISOString(), r.id]);
  }

  private async validate(input: SharingRuleInput): Promise<void> {
    const allowed = CATEGORIES[input.subject];
    const unknown = input.categories.filter((c) => !allowed.includes(c));
    if (unknown.length) throw badInput(`Unknown ${input.subject} categories: ${unknown.join(', ')}`, 'categories');
    if (!RULE_MAX_TLPS.includes(input.maxTlp)) {
      throw badInput('maxTlp must be CLEAR, GREEN or AMBER: rules never widen AMBER_STRICT or RED', 'maxTlp');
    }
    const { organisationIds, organisationTypes, ports } = input.audience;
    if (!organisationIds.length && !organisationTypes.length && !ports.length) {
      throw badInput('The audience needs at least one organisation, organisation type or port', 'audience');
    }
    if (input.validUntil && input.validUntil <= new Date())
      throw badInput('validUntil must be in the future', 'validUntil');
    await assertAllExist(await this.db.em(), 'organisations', organisationIds, 'audience.organisationIds');
  }

  private columns(input: SharingRuleInput) {
    return {
      subject: input.subject,
      categories: [...new Set(input.categories)],
      audienceOrganisationIds: [...new Set(input.audience.organisationIds)],
      audienceOrganisationTypes: [...new Set(input.audience.organisationTypes)],
      audiencePorts: [...new Set(input.audience.ports)],
      maxTlp: input.maxTlp,
      validUntil: input.validUntil ?? null,
    };
  }
}
