import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/actor';
import { badInput, conflict, forbidden, notFound } from '../common/errors';
import { DatabaseService } from '../database/database.service';
import { canonicalFeedQuery, FEED_VIEW_PARAMETERS } from '../shared/feed-view';
import { AbilityFactory } from '../sharing/ability.factory';
import { abilityToSql, canOn } from '../sharing/ability-sql';
import { SavedViewInput } from './dto/saved-view.inputs';
import { SavedView, SavedViewDefault } from './saved-view.entity';
import { SavedViewsRepository } from './saved-views.repository';
import { requestLoader } from '../common/request-loaders';

/** A person's own views in one organisation: enough for every shift's and desk's, few enough to list. */
export const MAX_SAVED_VIEWS = 50;

/** How the ability's fields map to SQL in this domain's list queries (docs/authorization/ability-sql.md shows the result). */
export const SAVED_VIEW_COLUMNS = { userId: 'v.user_id', organisationId: 'v.organisation_id', shared: 'v.shared' };

/**
 * Saved views of the feed. A view keeps the feed's address parameters, nothing else; opening one runs
 * the feed under the reader's own ability, so a colleague's view shows each reader what they may read.
 */
@Injectable()
export class SavedViewsService {
  constructor(
    private readonly db: DatabaseService,
    private readonly abilities: AbilityFactory,
    private readonly views: SavedViewsRepository,
  ) {}

  /** The caller's views and those their colleagues share, by name. */
  async list(actor: Actor): Promise<SavedView[]> {
    const visible = abilityToSql(await this.abilities.abilityFor(actor), 'read', 'SavedView', SAVED_VIEW_COLUMNS);
    return (await this.db.em())
      .getRepository(SavedView)
      .createQueryBuilder('v')
      .where(visible.sql, visible.params)
      .andWhere('v.organisation_id = :org', { org: actor.organisationId })
      .orderBy('lower(v.name)')
      .addOrderBy('v.id')
      .getMany();
  }

  async create(actor: Actor, input: SavedViewInput): Promise<SavedView> {
    const organisationId = actor.organisationId;
    if (
      !organisationId ||
      !canOn(await this.abilities.abilityFor(actor), 'create', 'SavedView', { organisationId, userId: actor.userId })
    ) {
      throw forbidden('Saved views belong to a member of an organisation');
    }
    const em = await this.db.em();
    const count = await em.countBy(SavedView, { organisationId, userId: actor.userId });
    if (count >= MAX_SAVED_VIEWS)
      throw conflict(`You have ${MAX_SAVED_VIEWS} saved views, the most one person keeps: delete one first`);
    await this.assertNameFree(actor, input.name.trim());
    return em.save(em.create(SavedView, { ...this.columns(input), organisationId, userId: actor.userId }));
  }

  async update(actor: Actor, id: string, input: SavedViewInput): Promise<SavedView> {
    const view = await this.own(actor, id);
    if (view.name !== input.name.trim()) await this.assertNameFree(actor, input.name.trim());
    const em = await this.db.em();
    await em.update(SavedView, id, this.columns(input));
    return em.findOneByOrFail(SavedView, { id });
  }

  /** Deleting a shared view ends it as the default of whoever chose it (the foreign key cascades). */
  async delete(actor: Actor, id: string): Promise<boolean> {
    await this.own(actor, id);
    await (await this.db.em()).delete(SavedView, id);
    return true;
  }

  /** The view the caller's feed opens on; null clears it. Any view the caller may read. */
  async setDefault(actor: Actor, id: string | null | undefined): Promise<SavedView | null> {
    const organisationId = actor.organisationId;
    if (!organisationId) throw forbidden('Saved views belong to a member of an organisation');
    const em = await this.db.em();
    if (!id) {
      await em.delete(SavedViewDefault, { userId: actor.userId, organisationId });
      return null;
    }
    const view = await this.readable(actor, id);
    await em.upsert(SavedViewDefault, { userId: actor.userId, organisationId, viewId: view.id }, [
      'userId',
      'organisationId',
    ]);
    return view;
  }

  /**
   * The id of the view the caller's feed opens on, while they may still read it: looked up once per
   * request, however many views ask whether they are it.
   */
  defaultId(actor: Actor): Promise<string | null> {
    return requestLoader<string, string | null>('savedView.default', (keys) =>
      Promise.all(keys.map(() => this.lookUpDefault(actor))),
    ).load('default');
  }

  private async lookUpDefault(actor: Actor): Promise<string | null> {
    if (!actor.organisationId) return null;
    const chosen = await (
      await this.db.em()
    ).findOneBy(SavedViewDefault, {
      userId: actor.userId,
      organisationId: actor.organisationId,
    });
    return (
      chosen &&
      (await this.readable(actor, chosen.viewId).then(
        (v) => v.id,
        () => null,
      ))
    );
  }

  /** Who made a view, for the colleagues it is shared with (one query per request, however many views). */
  ownerName(view: SavedView): Promise<string> {
    return requestLoader<string, string>('savedView.owner', (ids) => this.views.ownerNames(ids)).load(view.userId);
  }

  /** A view the caller may read (their own, or shared in the organisation they act for); NOT_FOUND otherwise. */
  private async readable(actor: Actor, id: string): Promise<SavedView> {
    const view = await (await this.db.em()).findOneBy(SavedView, { id });
    if (!view || !canOn(await this.abilities.abilityFor(actor), 'read', 'SavedView', view))
      throw notFound('Saved view');
    return view;
  }

  /** The caller's own view; a colleague's, even shared, is NOT_FOUND to change. */
  private async own(actor: Actor, id: string): Promise<SavedView> {
    const view = await (await this.db.em()).findOneBy(SavedView, { id });
    if (!view || !canOn(await this.abilities.abilityFor(actor), 'update', 'SavedView', view))
      throw notFound('Saved view');
    return view;
  }

  private async assertNameFree(actor: Actor, name: string): Promise<void> {
    const taken = await (
      await this.db.em()
    ).existsBy(SavedView, {
      organisationId: actor.organisationId!,
      userId: actor.userId,
      name,
    });
    if (taken) throw conflict(`You already have a view named ${name}`);
  }

  private columns(input: SavedViewInput) {
    return { name: input.name.trim(), query: feedQuery(input.query), shared: input.shared };
  }
}

/** The feed's parameters of `query`, in a stable order; BAD_USER_INPUT naming any other. */
export function feedQuery(query: string): string {
  const params = new URLSearchParams(query.replace(/^\?/, ''));
  const unknown = [...params.keys()].filter((k) => !(FEED_VIEW_PARAMETERS as readonly string[]).includes(k));
  if (unknown.length) {
    throw badInput(
      `A view keeps only the feed's parameters (${FEED_VIEW_PARAMETERS.join(', ')}), not ${unknown.join(', ')}`,
      'input.query',
    );
  }
  return canonicalFeedQuery(params);
}
