import { subject } from '@casl/ability';
import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/actor';
import { forbidden } from '../common/errors';
import { DatabaseService } from '../database/database.service';
import { MemberRole } from '../common/organisation-type';
import { AbilityContext, AbilityFactory, AccessReason, AppAbility } from '../sharing/ability.factory';
import { Tlp } from '../common/tlp';
import { Bulletin } from './bulletin.entity';
import { BulletinRepository } from './bulletin.repository';
import { BulletinQueriesService } from './bulletin-queries.service';
import { Access, AudiencePreview } from './dto/bulletin.types';

/** When several grants apply, the one reported: the most specific first. */
const PREFERENCE = [
  AccessReason.AUTHOR,
  AccessReason.NAMED_RECIPIENT,
  AccessReason.NAMED_USER,
  AccessReason.TLP,
  AccessReason.SHARING_RULE,
];

/**
 * whoCanSee and the audience preview: build, for every active organisation (or, for TLP:RED, every named user), the very
 * ability the request pipeline would build for it, and asks it. The explanation cannot drift from
 * the enforcement because it is the enforcement.
 */
@Injectable()
export class BulletinAccessService {
  constructor(
    private readonly db: DatabaseService,
    private readonly bulletins: BulletinRepository,
    private readonly abilities: AbilityFactory,
    private readonly queries: BulletinQueriesService,
  ) {}

  async whoCanSee(actor: Actor, id: string): Promise<Access[]> {
    return this.access(await this.explained(actor, id));
  }

  /**
   * Before publishing: whoCanSee's answer for the bulletin as it will be once published (a draft is its
   * author organisation's alone until then), with the people each entry reaches. Delivery decides with
   * the same ability, so this is who will have it.
   */
  async audiencePreview(actor: Actor, id: string): Promise<AudiencePreview> {
    const bulletin = await this.explained(actor, id);
    const recipients = await this.access({ ...bulletin, status: 'PUBLISHED' });
    const people = await this.bulletins.peopleIn(
      recipients.flatMap((r) => (r.organisation ? [r.organisation.id] : [])),
    );
    const entries = recipients.map((r) => ({
      ...r,
      people: r.organisation ? (people.get(r.organisation.id) ?? 0) : 1,
    }));
    return { recipients: entries, people: entries.reduce((n, e) => n + e.people, 0) };
  }

  /** The organisations other than its author's that a bulletin reaches as it stands (for TLP:RED, its named users' organisations). */
  async reachedOrganisations(bulletin: Bulletin): Promise<string[]> {
    const ids =
      bulletin.tlp === Tlp.RED
        ? await this.bulletins.organisationsOf(bulletin.recipientUserIds)
        : (await this.organisations(bulletin)).map((a) => a.organisation!.id);
    return ids.filter((id) => id !== bulletin.authorOrganisationId);
  }

  /** The bulletin, for its author organisation's analysts and admins; NOT_FOUND or FORBIDDEN for anyone else. */
  private async explained(actor: Actor, id: string): Promise<Bulletin> {
    const bulletin = await this.queries.get(actor, id);
    if (!(await this.queries.explains(actor, bulletin))) {
      throw forbidden("Only the author organisation's analysts and admins see who can read a bulletin");
    }
    return bulletin;
  }

  private access(bulletin: Bulletin): Promise<Access[]> {
    return bulletin.tlp === Tlp.RED ? this.users(bulletin) : this.organisations(bulletin);
  }

  private async organisations(bulletin: Bulletin): Promise<Access[]> {
    return this.readers(bulletin, await this.bulletins.activeOrganisations());
  }

  /**
   * Of these organisations, those that read the bulletin as it is marked, each with its grant: the very
   * ability each would be given (federation sends a peer's organisations what this admits of them).
   */
  async readers(
    bulletin: Pick<
      Bulletin,
      | 'authorOrganisationId'
      | 'authorUserId'
      | 'status'
      | 'tlp'
      | 'category'
      | 'recipientOrganisationIds'
      | 'recipientUserIds'
    >,
    orgs: { id: string; name: string }[],
  ): Promise<Access[]> {
    const em = await this.db.em();
    const rules = await this.abilities.admittingRules(
      em,
      orgs.map((o) => o.id),
    );
    return orgs.flatMap((o) => {
      const ctx: AbilityContext = {
        userId: null,
        organisationId: o.id,
        role: MemberRole.MEMBER,
        isPlatformAdmin: false,
      };
      const grant = this.grant(this.abilities.build(ctx, rules.get(o.id) ?? []), bulletin);
      return grant ? [{ organisation: o, user: null, ...grant }] : [];
    });
  }

  private async users(bulletin: Bulletin): Promise<Access[]> {
    const users = await this.bulletins.usersInGoodStanding(
      [bulletin.authorUserId, ...bulletin.recipientUserIds].filter((u): u is string => u !== null),
    );
    return users.flatMap((u) => {
      const ctx: AbilityContext = { userId: u.id, organisationId: null, role: null, isPlatformAdmin: false };
      const grant = this.grant(this.abilities.build(ctx, []), bulletin);
      return grant ? [{ organisation: null, user: { id: u.id, displayName: u.display_name }, ...grant }] : [];
    });
  }

  private grant(ability: AppAbility, bulletin: Partial<Bulletin>): Pick<Access, 'reason' | 'ruleId'> | null {
    const target = subject('Bulletin', { ...bulletin }) as unknown as Record<string, unknown>;
    const grants = ability
      .possibleRulesFor('read', 'Bulletin')
      .filter((rule) => !rule.inverted && rule.matchesConditions(target))
      .map((rule) => {
        const [reason, ruleId] = (rule.reason ?? '').split(':');
        return { reason: reason as AccessReason, ruleId: ruleId ?? null };
      })
      .sort((a, b) => PREFERENCE.indexOf(a.reason) - PREFERENCE.indexOf(b.reason));
    return grants[0] ?? null;
  }
}
