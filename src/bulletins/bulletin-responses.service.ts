import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import type { Actor } from '../common/actor';
import { conflict, forbidden } from '../common/errors';
import { groupBy, requestLoader } from '../common/request-loaders';
import { DatabaseService } from '../database/database.service';
import { AbilityFactory } from '../sharing/ability.factory';
import { canOn } from '../sharing/ability-sql';
import { Bulletin } from './bulletin.entity';
import { BulletinAccessService } from './bulletin-access.service';
import { ResponseAction } from './bulletin-enums';
import { BulletinQueriesService } from './bulletin-queries.service';
import { BulletinResponsesRepository, ResponseRow } from './bulletin-responses.repository';
import { effectiveStatus } from './bulletin-visibility';
import { BulletinResponse, OverdueResponse } from './dto/bulletin-action.types';

const MAX_OVERDUE = 200;

/**
 * Responses to bulletins: the author asks the organisations a bulletin reaches to respond by a
 * deadline; each answers once, for the organisation. The author organisation sees every response;
 * a recipient its own only (recipients do not learn of each other through responses either).
 */
@Injectable()
export class BulletinResponsesService {
  constructor(
    private readonly db: DatabaseService,
    private readonly responses: BulletinResponsesRepository,
    private readonly abilities: AbilityFactory,
    private readonly queries: BulletinQueriesService,
    private readonly access: BulletinAccessService,
  ) {}

  /** On publication and revision: a request to every organisation the bulletin now reaches, if it asks for responses. */
  async request(bulletin: Bulletin, now: Date): Promise<void> {
    if (!bulletin.responseDueAt) return;
    const organisations = await this.access.reachedOrganisations(bulletin);
    await this.responses.request(bulletin, organisations, bulletin.publishedAt ?? now, bulletin.responseDueAt);
  }

  async respond(actor: Actor, id: string, action: ResponseAction, note: string | undefined): Promise<Bulletin> {
    const bulletin = await this.queries.get(actor, id);
    if (
      !canOn(await this.abilities.abilityFor(actor), 'respond', 'Bulletin', bulletin) ||
      effectiveStatus(bulletin) !== 'PUBLISHED'
    ) {
      throw forbidden(
        'Analysts and admins of an organisation a current bulletin reached respond for their organisation',
      );
    }
    const first = await this.responses.respond({
      bulletinId: id,
      organisationId: actor.organisationId!,
      authorOrganisationId: bulletin.authorOrganisationId,
      userId: actor.userId,
      action,
      note: note?.trim() || null,
    });
    if (!first) throw conflict('Your organisation has already responded to this bulletin');
    return bulletin;
  }

  /** Every response for the author organisation; the caller's organisation's own otherwise. */
  async of(actor: Actor, bulletin: Bulletin): Promise<BulletinResponse[]> {
    const rows = await requestLoader<string, ResponseRow[]>('bulletin.responses', async (ids) =>
      groupBy(ids, await this.responses.ofBulletins(ids), (r) => r.bulletin_id),
    ).load(bulletin.id);
    const all = await this.queries.explains(actor, bulletin);
    return rows.filter((r) => all || r.organisation_id === actor.organisationId).map(toResponse);
  }

  /** The author organisation's analysts and admins: requests past their deadline, unanswered. */
  async overdue(actor: Actor): Promise<OverdueResponse[]> {
    const org = actor.organisationId;
    if (!org || !canOn(await this.abilities.abilityFor(actor), 'explain', 'Bulletin', { authorOrganisationId: org }))
      throw forbidden("Only the author organisation's analysts and admins follow up responses");
    const rows = await this.responses.overdue(org, MAX_OVERDUE);
    if (!rows.length) return [];
    const bulletins = await (
      await this.db.em()
    ).findBy(Bulletin, { id: In([...new Set(rows.map((r) => r.bulletin_id))]) });
    const byId = new Map(bulletins.map((b) => [b.id, b]));
    return rows
      .filter((r) => byId.has(r.bulletin_id))
      .map((r) => ({
        bulletin: byId.get(r.bulletin_id)!,
        organisation: { id: r.organisation_id, name: r.name },
        dueAt: r.due_at!,
      }));
  }
}

function toResponse(r: ResponseRow): BulletinResponse {
  return {
    organisation: { id: r.organisation_id, name: r.name },
    dueAt: r.due_at,
    overdue: !r.responded_at && !!r.due_at && r.due_at <= new Date(),
    action: r.action,
    note: r.note,
    respondedAt: r.responded_at,
  };
}
