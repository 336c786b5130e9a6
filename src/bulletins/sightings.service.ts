import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/actor';
import { AppError, badInput, ErrorCode, forbidden } from '../common/errors';
import { groupBy, requestLoader } from '../common/request-loaders';
import { AbilityFactory } from '../sharing/ability.factory';
import { canOn } from '../sharing/ability-sql';
import { OPEN_TLPS } from '../common/tlp';
import { Bulletin } from './bulletin.entity';
import { BulletinQueriesService } from './bulletin-queries.service';
import { SightingRow, SightingsRepository } from './sightings.repository';
import { Sighting } from './dto/bulletin-action.types';
import { SightingInput } from './dto/bulletin.inputs';
import { indicatorKey, normaliseIndicator } from './indicators';
import { BulletinEventsService, CorrelationKind } from './bulletin-events.service';
import { DatabaseService } from '../database/database.service';

/** Clocks differ: a sighting a few minutes "in the future" is a clock, not a mistake. */
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * Sightings: a member says where and when an indicator of a bulletin it reads was seen, without
 * publishing anything. A sighting belongs to its bulletin and is seen by exactly those who see the
 * bulletin (row-level security asks the bulletin's own policy). Who saw it is named only where that
 * discloses no recipient: to the author organisation, to the sighting's organisation, and on
 * bulletins whose recipients are not kept private (CLEAR and GREEN reach everyone anyway).
 */
@Injectable()
export class SightingsService {
  constructor(
    private readonly sightings: SightingsRepository,
    private readonly abilities: AbilityFactory,
    private readonly queries: BulletinQueriesService,
    private readonly events: BulletinEventsService,
    private readonly db: DatabaseService,
  ) {}

  async record(actor: Actor, input: SightingInput): Promise<Sighting> {
    const bulletin = await this.queries.get(actor, input.bulletinId);
    if (!canOn(await this.abilities.abilityFor(actor), 'sight', 'Bulletin', bulletin))
      throw forbidden('Sightings are recorded on current bulletins');
    const normalised = normaliseIndicator(input.indicatorType, input.value);
    if (!normalised.ok)
      throw new AppError(ErrorCode.BAD_USER_INPUT, `value (${input.indicatorType}) ${normalised.reason}`, {
        field: 'value',
        reason: normalised.reason,
      });
    const listed = (await this.queries.indicators(bulletin.id)).some(
      (i) => i.type === input.indicatorType && i.value === normalised.value,
    );
    if (!listed) throw badInput('The bulletin lists no such indicator', 'value');
    if (input.seenAt.getTime() > Date.now() + CLOCK_SKEW_MS) throw badInput('seenAt cannot be in the future', 'seenAt');
    const row = await this.sightings.add({
      bulletinId: bulletin.id,
      authorOrganisationId: bulletin.authorOrganisationId,
      organisationId: actor.organisationId!,
      userId: actor.userId,
      indicatorType: input.indicatorType,
      value: normalised.value,
      searchKey: indicatorKey(input.indicatorType, normalised.value),
      kind: input.kind,
      port: input.port,
      seenAt: input.seenAt,
      note: input.note?.trim() || null,
    });
    // The authors of other bulletins holding the value hear of it (src/correlation), as they may read this one.
    await this.events.correlate(await this.db.em(), {
      kind: CorrelationKind.SIGHTING,
      bulletinId: bulletin.id,
      version: bulletin.version,
      organisationId: actor.organisationId!,
      actorUserId: actor.userId,
      keys: [row.searchKey],
    });
    return (await this.toSightings(actor, bulletin, [row]))[0];
  }

  /** The bulletin's sightings, newest first; of one indicator only when `key` (a search key) is given. */
  async of(actor: Actor, bulletin: Bulletin, key?: string): Promise<Sighting[]> {
    const rows = await requestLoader<string, SightingRow[]>('bulletin.sightings', async (ids) =>
      groupBy(ids, await this.sightings.ofBulletins(ids), (r) => r.bulletinId),
    ).load(bulletin.id);
    return this.toSightings(
      actor,
      bulletin,
      rows.filter((r) => key === undefined || r.searchKey === key),
    );
  }

  private async toSightings(actor: Actor, bulletin: Bulletin, rows: SightingRow[]): Promise<Sighting[]> {
    const named =
      bulletin.showRecipients || OPEN_TLPS.includes(bulletin.tlp) || (await this.queries.explains(actor, bulletin));
    return rows.map((r) => {
      const yours = r.organisationId === actor.organisationId;
      return {
        id: r.id,
        kind: r.kind,
        indicator: { type: r.indicatorType as never, value: r.value },
        port: r.port,
        seenAt: r.seenAt,
        note: r.note,
        organisation: named || yours ? { id: r.organisationId, name: r.name } : null,
        yours,
        recordedAt: r.createdAt,
        authorOrganisationId: bulletin.authorOrganisationId,
      };
    });
  }
}
