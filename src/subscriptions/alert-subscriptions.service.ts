import { Inject, Injectable } from '@nestjs/common';
import type { Actor } from '../common/actor';
import { atCap, forbidden, notFound } from '../common/errors';
import { Connection, decodeCursor, toConnection } from '../common/pagination';
import { DatabaseService } from '../database/database.service';
import { APP_CONFIG, AppConfig } from '../config/config';
import { AbilityFactory } from '../sharing/ability.factory';
import { abilityToSql, canOn } from '../sharing/ability-sql';
import { AlertSubscription, Channel } from './alert-subscription.entity';
import { AlertFilterInput, AlertSubscriptionInput, AlertSubscriptionsArgs } from './dto/alert-subscription.inputs';
import { Membership } from '../organisations/membership.entity';
import { BulletinQueriesService } from '../bulletins/bulletin-queries.service';
import { organisationTypes } from '../organisations/organisation-refs';
import { matchesAlertFilter } from './alert-filter';
import { AlertFilterPreview } from './dto/alert-subscription.types';

const PREVIEW_DAYS = 30;
/** The most recent bulletins a preview examines: enough for a month of a busy alliance. */
const PREVIEW_LIMIT = 5_000;

/** How the ability's fields map to SQL in this domain's list queries (docs/authorization/ability-sql.md shows the result). */
export const ALERT_SUBSCRIPTION_COLUMNS = { userId: 's.user_id', organisationId: 's.organisation_id' };

/** A user manages their own subscriptions; organisation admins can list their members'. */
@Injectable()
export class AlertSubscriptionsService {
  constructor(
    private readonly db: DatabaseService,
    private readonly abilities: AbilityFactory,
    private readonly bulletins: BulletinQueriesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * What a filter would have brought in the last 30 days, among the bulletins the caller may read (the
   * ability in SQL), decided by the very matcher delivery uses, so the preview cannot promise otherwise.
   */
  async preview(actor: Actor, filter: AlertFilterInput, first: number): Promise<AlertFilterPreview> {
    const since = new Date(Date.now() - PREVIEW_DAYS * 86_400_000);
    const issued = (await this.bulletins.issuedSince(actor, since, PREVIEW_LIMIT)).filter(
      (b) => b.publishedAt && b.publishedAt >= since,
    );
    const types = await organisationTypes(await this.db.em(), [...new Set(issued.map((b) => b.authorOrganisationId))]);
    const fields = { ...filter, minSeverity: filter.minSeverity ?? null };
    const matched = issued
      .filter((b) => matchesAlertFilter(fields, b, types.get(b.authorOrganisationId) ?? ''))
      .sort((a, b) => b.publishedAt!.getTime() - a.publishedAt!.getTime() || b.id.localeCompare(a.id));
    const recent = matched.slice(0, first);
    await this.bulletins.recordListed('previewAlertFilter', recent);
    return { matched: matched.length, capped: issued.length === PREVIEW_LIMIT, recent };
  }

  async create(actor: Actor, input: AlertSubscriptionInput): Promise<AlertSubscription> {
    if (!actor.organisationId) throw forbidden('Subscriptions belong to an organisation: log in for one');
    const em = await this.db.em();
    // Every subscription is work in each fan-out: counted under the organisation's own lock.
    await this.db.lockOrganisation('alert-subscriptions', actor.organisationId);
    const cap = this.config.ALERT_SUBSCRIPTIONS_PER_ORGANISATION;
    const [{ n }] = await em.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM alert_subscriptions WHERE organisation_id = $1`,
      [actor.organisationId],
    );
    if (n >= cap) throw atCap('alert subscriptions', cap);
    return em.save(
      em.create(AlertSubscription, {
        ...this.columns(input),
        userId: actor.userId,
        organisationId: actor.organisationId,
      }),
    );
  }

  async update(actor: Actor, id: string, input: AlertSubscriptionInput): Promise<AlertSubscription> {
    await this.ownSubscription(actor, id);
    const em = await this.db.em();
    await em.update(AlertSubscription, id, this.columns(input));
    return em.findOneByOrFail(AlertSubscription, { id });
  }

  async delete(actor: Actor, id: string): Promise<boolean> {
    await this.ownSubscription(actor, id);
    await (await this.db.em()).delete(AlertSubscription, id);
    return true;
  }

  /**
   * An alert e-mail's unsubscribe link, in a request acting as its subscriber (row-level security): the
   * subscription sends no more e-mail and keeps its other channels; left with none, it is removed.
   * Answers the channels left.
   */
  async stopEmail(id: string): Promise<Channel[]> {
    const em = await this.db.em();
    const subscription = await em.findOneBy(AlertSubscription, { id });
    const left = subscription?.channels.filter((c) => c !== Channel.EMAIL) ?? [];
    if (left.length) await em.update(AlertSubscription, id, { channels: left });
    else await em.delete(AlertSubscription, id);
    return left;
  }

  async list(actor: Actor, args: AlertSubscriptionsArgs): Promise<Connection<AlertSubscription>> {
    const ability = await this.abilities.abilityFor(actor);
    if (args.userId && args.userId !== actor.userId) await this.assertListableMember(actor, args.userId);
    const visible = abilityToSql(ability, 'read', 'AlertSubscription', ALERT_SUBSCRIPTION_COLUMNS);
    const qb = (await this.db.em())
      .getRepository(AlertSubscription)
      .createQueryBuilder('s')
      .where(visible.sql, visible.params)
      .andWhere('s.user_id = :user', { user: args.userId ?? actor.userId })
      .orderBy('s.created_at')
      .addOrderBy('s.id')
      .take(args.first + 1);
    if (args.after) {
      const [at, id] = decodeCursor(args.after, 2);
      qb.andWhere('(s.created_at, s.id) > (:at::timestamptz, :id::uuid)', { at, id });
    }
    return toConnection(await qb.getMany(), args.first, (s) => [s.createdAt.toISOString(), s.id]);
  }

  /** Another user's subscriptions are listed only to an admin of an organisation the user belongs to. */
  private async assertListableMember(actor: Actor, userId: string): Promise<void> {
    const organisationId = actor.organisationId;
    const member = organisationId && (await (await this.db.em()).existsBy(Membership, { organisationId, userId }));
    if (
      !member ||
      !canOn(await this.abilities.abilityFor(actor), 'read', 'AlertSubscription', { organisationId, userId: null })
    ) {
      throw notFound('Member');
    }
  }

  /** The caller's own subscription; anyone else's is NOT_FOUND (an admin reads, never edits them). */
  async ownSubscription(actor: Actor, id: string): Promise<AlertSubscription> {
    const subscription = await (await this.db.em()).findOneBy(AlertSubscription, { id });
    if (!subscription || !canOn(await this.abilities.abilityFor(actor), 'update', 'AlertSubscription', subscription)) {
      throw notFound('Alert subscription');
    }
    return subscription;
  }

  private columns(input: AlertSubscriptionInput) {
    const f = input.filter ?? new AlertFilterInput();
    return {
      name: input.name.trim(),
      categories: [...new Set(f.categories)],
      minSeverity: f.minSeverity ?? null,
      ports: [...new Set(f.ports)],
      organisationTypes: [...new Set(f.organisationTypes)],
      authorOrganisationIds: [...new Set(f.authorOrganisationIds)],
      channels: [...new Set(input.channels)],
      mode: input.mode,
    };
  }
}
