import { AbilityBuilder, createMongoAbility, MongoAbility } from '@casl/ability';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Actor } from '../common/actor';
import { DatabaseService } from '../database/database.service';
import { currentState } from '../common/request-context';
import { MemberRole, OrganisationStatus, OrganisationType } from '../common/organisation-type';
import { VETTING_AUTHORITY_TYPES } from '../shared/vetting-authority-types';
import { SharingRule } from './sharing-rule.entity';
import { SharingRepository } from './sharing.repository';
import { AdmittingRulesCache } from './admitting-rules.cache';
import { canOn } from './ability-sql';
import { forbidden } from '../common/errors';
import type { Action, SubjectName } from '../common/checks';

import { NAMED_ORG_TLPS, OPEN_TLPS, RULE_WIDENED_TLPS, SharingSubject, Tlp, tlpsUpTo } from '../common/tlp';

/** What the ability needs of a rule that admits the organisation. */
export type AdmittingRule = Pick<
  SharingRule,
  'id' | 'subject' | 'organisationId' | 'categories' | 'maxTlp' | 'validUntil'
>;

/** One shared empty rule list, so that abilities built on "no rules" are shared too (they key on the list). */
export const NO_RULES: readonly AdmittingRule[] = Object.freeze([]);

export type AppAbility = MongoAbility<[Action, SubjectName | Record<string, unknown>]>;

/** The part of an actor the rules depend on; whoCanSee builds it for organisations as a whole. */
export interface AbilityContext {
  userId: string | null;
  organisationId: string | null;
  role: MemberRole | null;
  isPlatformAdmin: boolean;
  /** Needed for vetting; contexts that only concern bulletins leave it out. */
  organisationType?: OrganisationType | null;
  /** A machine client reads up to its marking, and may be allowed to write drafts (Actor.machineClient). */
  machineClient?: { maxTlp: Tlp; canWrite: boolean } | null;
}

/** Why a rule grants reading a bulletin; whoCanSee reports it. */
export enum AccessReason {
  AUTHOR = 'AUTHOR',
  TLP = 'TLP',
  NAMED_RECIPIENT = 'NAMED_RECIPIENT',
  NAMED_USER = 'NAMED_USER',
  SHARING_RULE = 'SHARING_RULE',
}

const ISSUED = ['PUBLISHED', 'RETRACTED'];
const WRITERS = [MemberRole.ANALYST, MemberRole.ORG_ADMIN];

/**
 * The one place that decides who may do what. Rules carry conditions on the subject's fields, so the
 * same ability answers `can(...)` for one object and compiles to SQL for lists (ability-sql.ts).
 */
@Injectable()
export class AbilityFactory {
  private readonly built = new WeakMap<readonly AdmittingRule[], Map<string, AppAbility>>();
  private readonly decided = new WeakMap<AppAbility, WeakMap<object, boolean>>();

  constructor(
    private readonly db: DatabaseService,
    private readonly sharing: SharingRepository,
    private readonly cache: AdmittingRulesCache,
  ) {}

  /** The caller's ability, from its memberships and the rules that admit it. */
  async abilityFor(actor: Actor): Promise<AppAbility> {
    const state = currentState();
    if (state?.ability && state.actor === actor) return state.ability as AppAbility;
    const ability = this.withRules(actor, await this.rulesOf(actor));
    if (state?.actor === actor) state.ability = ability;
    return ability;
  }

  /**
   * The rules that admit the caller's organisation, read under the request's identity. They are the
   * same for every member: kept between requests (AdmittingRulesCache).
   */
  async rulesOf(actor: Pick<Actor, 'organisationId'>): Promise<readonly AdmittingRule[]> {
    const organisationId = actor.organisationId;
    if (!organisationId) return NO_RULES;
    return this.cache.get(
      organisationId,
      async () => (await this.admittingRules(await this.db.em(), [organisationId])).get(organisationId) ?? NO_RULES,
    );
  }

  /**
   * The actor's ability under its organisation's rules (`rulesOf`). An ability is a pure function of the
   * two: built once per caller for as long as the cache holds the same rules (a new rules array, after
   * any change, builds anew), and with it its compiled SQL (ability-sql.ts).
   */
  private withRules(actor: AbilityContext, rules: readonly AdmittingRule[]): AppAbility {
    const key = [
      actor.userId,
      actor.organisationId,
      actor.role,
      actor.isPlatformAdmin,
      actor.organisationType,
      actor.machineClient?.maxTlp,
      actor.machineClient?.canWrite,
    ].join('|');
    const abilities = this.built.get(rules) ?? new Map<string, AppAbility>();
    this.built.set(rules, abilities);
    let ability = abilities.get(key);
    if (!ability) {
      ability = this.build(actor, rules);
      abilities.set(key, ability);
    }
    return ability;
  }

  /**
   * `read` on one bulletin for each of many recipients (a fan-out): decided once per organisation, role
   * and type under the same rules, then, only where that says no, per user for the users the bulletin
   * names (its author, TLP:RED recipients): the rules on a user only ever add to the organisation's.
   */
  readsBulletin(
    ctx: AbilityContext,
    rules: readonly AdmittingRule[],
    bulletin: { authorUserId: string | null; recipientUserIds: string[] },
  ): boolean {
    const group = this.withRules({ ...ctx, userId: null }, rules);
    const decided = this.decided.get(group) ?? new WeakMap<object, boolean>();
    this.decided.set(group, decided);
    let allowed = decided.get(bulletin);
    if (allowed === undefined) {
      allowed = canOn(group, 'read', 'Bulletin', bulletin);
      decided.set(bulletin, allowed);
    }
    if (allowed || !ctx.userId) return allowed;
    const named = bulletin.authorUserId === ctx.userId || bulletin.recipientUserIds.includes(ctx.userId);
    return named && canOn(this.withRules(ctx, rules), 'read', 'Bulletin', bulletin);
  }

  /**
   * The caller's organisation, when the caller may do `action` on that organisation's own `subject`s
   * (machine clients, webhooks, notification deliveries, vetting records, members, its data protection
   * register and processing log); FORBIDDEN with `refusal` otherwise.
   */
  async organisationFor(
    actor: Actor,
    action: Action,
    subject:
      | 'MachineClient'
      | 'Webhook'
      | 'NotificationDelivery'
      | 'VettingRecord'
      | 'Membership'
      | 'DataProtection'
      | 'ProcessingLog',
    refusal: string,
  ): Promise<string> {
    const org = actor.organisationId;
    if (!org || !canOn(await this.abilityFor(actor), action, subject, { organisationId: org }))
      throw forbidden(refusal);
    return org;
  }

  /**
   * What the caller's role allows before any sharing rule, for type-level checks (`can('publish',
   * 'Bulletin')`: "may they ever?"). Sharing rules only add conditions to reads every member already
   * holds, so they change no type-level answer.
   */
  forRole(ctx: AbilityContext): AppAbility {
    return this.build(ctx, []);
  }

  /**
   * The ability of a recipient of a delivery (e-mail now or on retry, digest), decided as a GraphQL read
   * would be at this moment: null unless the user is active, still a member of the organisation, and
   * the organisation is active. Runs in a transaction acting as that recipient.
   */
  async forRecipient(em: EntityManager, userId: string, organisationId: string): Promise<AppAbility | null> {
    const standing = await this.sharing.standing(em, userId, organisationId);
    if (!standing) return null;
    const rules = (await this.admittingRules(em, [organisationId])).get(organisationId) ?? [];
    return this.build(
      { userId, organisationId, role: standing.role, isPlatformAdmin: false, organisationType: standing.type },
      rules,
    );
  }

  /** For each organisation, the sharing rules that admit it (one query for all). */
  admittingRules(em: EntityManager, organisationIds: string[]): Promise<Map<string, AdmittingRule[]>> {
    return this.sharing.admittingRules(em, organisationIds);
  }

  build(ctx: AbilityContext, admittingRules: readonly AdmittingRule[]): AppAbility {
    const { can, cannot, build } = new AbilityBuilder<AppAbility>(createMongoAbility);
    const org = ctx.organisationId;

    if (ctx.isPlatformAdmin) {
      can(['create', 'read', 'suspend'], 'Organisation');
      can(['read', 'create', 'update', 'delete'], 'SharingRule', { organisationId: null });
      // Onboarding: the first admin of an organisation without members (MembersService, row-level security).
      can(['invite', 'read', 'update'], 'Invitation', { role: MemberRole.ORG_ADMIN });
      // The whole trail, to verify its chain and answer for the platform (row-level security says the same).
      can('read', 'AuditEvent');
      can(['read', 'verify'], 'Platform');
      can('read', 'DataProtection');
      // An organisation's provider decides who enters it: a platform admin approves it before it is used.
      can(['read', 'approve'], 'IdentityProvider');
      // Values that correlate with everything, for every organisation.
      can(['create', 'read', 'delete'], 'CorrelationExclusion', { organisationId: null });
      // Peering with other instances, and what crosses (federation); never what crossed to members.
      can(['create', 'read', 'update'], 'Peer');
    }
    if (org) {
      // The directory: every active member organisation sees the others' name, type and ports.
      can('read', 'Organisation', { status: OrganisationStatus.ACTIVE });
      can('read', 'Organisation', { id: org });
      can('read', 'Membership', { organisationId: org });
      if (ctx.role === MemberRole.ORG_ADMIN) {
        can('update', 'Organisation', { id: org });
        can(['update', 'delete', 'erase'], 'Membership', { organisationId: org });
        can(['invite', 'read', 'update'], 'Invitation', { organisationId: org });
        can(['create', 'update', 'delete'], 'SharingRule', { organisationId: org });
        // Its own trail, and what others did to its objects (read or acknowledged its bulletins).
        can('read', 'AuditEvent', { actorOrganisationId: org });
        can('read', 'AuditEvent', { subjectOrganisationId: org });
        can('read', 'AlertSubscription', { organisationId: org });
        can('read', 'NotificationDelivery', { organisationId: org });
        can('update', 'WhistleblowerIntake', { organisationId: org });
        can(['create', 'read', 'update'], 'MachineClient', { organisationId: org });
        can(['create', 'read', 'update', 'delete'], 'Webhook', { organisationId: org });
        can(['create', 'read', 'update', 'delete'], 'IdentityProvider', { organisationId: org });
        can(['create', 'delete'], 'CorrelationExclusion', { organisationId: org });
      }
      if (ctx.role === MemberRole.DPO) can('read', ['DataProtection', 'ProcessingLog'], { organisationId: org });
      // What the organisation and the platform leave out of correlation is known to all its members.
      can('read', 'CorrelationExclusion', { organisationId: { $in: [org, null] } });
      if (ctx.role && WRITERS.includes(ctx.role)) {
        can('read', 'SharingRule', { organisationId: { $in: [org, null] } });
        can(['create', 'update', 'publish', 'revise', 'retract', 'explain'], 'Bulletin', { authorOrganisationId: org });
        // Only the analysts and admins an admin designated hold the case key (whistleblowing/case-keyring).
        can('handle', 'WhistleblowerCase', { organisationId: org });
      }

      // A peer's bulletin: the organisations its origin addressed here, nobody else (no rule widens it).
      can('read', 'FederatedBulletin', { audienceOrganisationIds: org });
      // Bulletins, after the TLP table of ARCHITECTURE.md §2. RED stays out of the author org's view.
      can('read', 'Bulletin', { authorOrganisationId: org, tlp: { $ne: Tlp.RED } }).because(AccessReason.AUTHOR);
      can('read', 'Bulletin', { status: { $in: ISSUED }, tlp: { $in: OPEN_TLPS } }).because(AccessReason.TLP);
      can('read', 'Bulletin', {
        status: { $in: ISSUED },
        tlp: { $in: NAMED_ORG_TLPS },
        recipientOrganisationIds: org,
      }).because(AccessReason.NAMED_RECIPIENT);
      for (const rule of admittingRules.filter((r) => r.subject === SharingSubject.BULLETIN)) {
        const tlps = RULE_WIDENED_TLPS.filter((t) => tlpsUpTo(rule.maxTlp).includes(t));
        if (!tlps.length) continue;
        can('read', 'Bulletin', {
          status: { $in: ISSUED },
          tlp: { $in: tlps },
          ...(rule.organisationId ? { authorOrganisationId: rule.organisationId } : {}),
          ...(rule.categories.length ? { category: { $in: rule.categories } } : {}),
        }).because(`${AccessReason.SHARING_RULE}:${rule.id}`);
      }
      // A bulletin is acknowledged by the organisations it reached, not by its author; their analysts
      // and admins answer for the organisation what it did about it.
      // The data protection officer reads what every member reads, and changes nothing.
      if (ctx.role !== MemberRole.DPO) can('acknowledge', 'Bulletin', { status: 'PUBLISHED' });
      cannot('acknowledge', 'Bulletin', { authorOrganisationId: org });
      if (ctx.role && WRITERS.includes(ctx.role)) {
        can('respond', 'Bulletin', { status: 'PUBLISHED' });
        cannot('respond', 'Bulletin', { authorOrganisationId: org });
      }
      // Whoever reads a current bulletin (the gate staff too) says where its indicators were seen.
      if (ctx.role !== MemberRole.DPO) can('sight', 'Bulletin', { status: 'PUBLISHED' });

      this.vetting(
        ctx,
        org,
        admittingRules.filter((r) => r.subject === SharingSubject.VETTING_STATUS),
        can,
      );
    }
    // Rules on the user only add permissions (no `cannot`): readsBulletin relies on it.
    if (ctx.userId) {
      // Subscriptions belong to an organisation: only a member creates one.
      if (org) can('create', 'AlertSubscription', { userId: ctx.userId, organisationId: org });
      can(['read', 'update'], 'AlertSubscription', { userId: ctx.userId });
      if (org) {
        // Views of the feed: one's own, and those colleagues share in the organisation one acts for.
        can(['create', 'read', 'update'], 'SavedView', { userId: ctx.userId, organisationId: org });
        can('read', 'SavedView', { organisationId: org, shared: true });
      }
      can('read', 'Bulletin', { authorUserId: ctx.userId }).because(AccessReason.AUTHOR);
      can('read', 'Bulletin', { status: { $in: ISSUED }, tlp: Tlp.RED, recipientUserIds: ctx.userId }).because(
        AccessReason.NAMED_USER,
      );
    }
    // A machine client reads no marking above its own (it never reaches RED: RED names people).
    if (ctx.machineClient) {
      const above = Object.values(Tlp).filter((t) => !tlpsUpTo(ctx.machineClient!.maxTlp).includes(t));
      cannot('read', ['Bulletin', 'FederatedBulletin'], { tlp: { $in: above } });
      // Drafts only: an analyst of the organisation reviews, marks and publishes them.
      if (org && ctx.machineClient.canWrite) can('create', 'Bulletin', { authorOrganisationId: org });
    }
    return build();
  }

  /**
   * Vetting records: the authority that vetted (writes; reads everything, reason codes and notes too;
   * its admins set how long ended records are kept) and the employer (reads the record and identity)
   * see them; the badge check (status and validity only) is open to any member of those two and of
   * organisations a VETTING_STATUS rule of the authority admits, for the levels the rule names.
   */
  private vetting(
    ctx: AbilityContext,
    org: string,
    rules: readonly AdmittingRule[],
    can: AbilityBuilder<AppAbility>['can'],
  ): void {
    if (ctx.role && WRITERS.includes(ctx.role)) {
      if (ctx.organisationType && VETTING_AUTHORITY_TYPES.includes(ctx.organisationType)) {
        can(['create', 'update', 'readRestricted', 'crossMatch'], 'VettingRecord', { organisationId: org });
        if (ctx.role === MemberRole.ORG_ADMIN) can('manageRetention', 'VettingRecord', { organisationId: org });
      }
      can('read', 'VettingRecord', { organisationId: org });
      can('read', 'VettingRecord', { employerOrganisationId: org });
    }
    can('check', 'VettingRecord', { organisationId: org });
    can('check', 'VettingRecord', { employerOrganisationId: org });
    for (const rule of rules) {
      can('check', 'VettingRecord', {
        ...(rule.organisationId ? { organisationId: rule.organisationId } : {}),
        ...(rule.categories.length ? { level: { $in: rule.categories } } : {}),
      });
    }
  }
}
