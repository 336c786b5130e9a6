import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import type { Actor } from '../common/actor';
import { AppError, badInput, conflict, ErrorCode, forbidden } from '../common/errors';
import { assertAllExist } from '../common/ids-exist';
import { DatabaseService } from '../database/database.service';
import { BulletinEventKind, BulletinEventsService } from './bulletin-events.service';
import { AbilityFactory, type AppAbility } from '../sharing/ability.factory';
import { Action } from '../common/checks';
import { canOn } from '../sharing/ability-sql';
import { Tlp } from '../common/tlp';
import { Bulletin } from './bulletin.entity';
import { BulletinRepository } from './bulletin.repository';
import { BulletinIndicator } from './bulletin-indicator.entity';
import { BulletinQueriesService } from './bulletin-queries.service';
import { BulletinResponsesService } from './bulletin-responses.service';
import { effectiveStatus } from './bulletin-visibility';
import { BulletinInput } from './dto/bulletin.inputs';
import { indicatorKey, normaliseIndicator } from './indicators';

/** The bulletin lifecycle: DRAFT -> PUBLISHED -> (REVISED)* -> RETRACTED | EXPIRED, every version kept. */
@Injectable()
export class BulletinsService {
  constructor(
    private readonly db: DatabaseService,
    private readonly bulletins: BulletinRepository,
    private readonly abilities: AbilityFactory,
    private readonly queries: BulletinQueriesService,
    private readonly events: BulletinEventsService,
    private readonly responses: BulletinResponsesService,
  ) {}

  async create(actor: Actor, input: BulletinInput): Promise<Bulletin> {
    const organisationId = actor.organisationId;
    if (
      !organisationId ||
      !canOn(await this.abilities.abilityFor(actor), 'create', 'Bulletin', { authorOrganisationId: organisationId })
    ) {
      throw forbidden('Only analysts and organisation admins write bulletins');
    }
    const em = await this.db.em();
    const indicators = await this.validate(em, input);
    const bulletin = await em.save(
      em.create(Bulletin, {
        ...this.content(input),
        authorOrganisationId: organisationId,
        ...(actor.machineClient
          ? { authorUserId: null, authorMachineClientId: actor.machineClient.id }
          : { authorUserId: actor.userId }),
        status: 'DRAFT',
        version: 0,
        listedAt: new Date(),
      }),
    );
    await this.replaceIndicators(em, bulletin, indicators);
    return bulletin;
  }

  async updateDraft(actor: Actor, id: string, input: BulletinInput): Promise<Bulletin> {
    const { em, bulletin } = await this.lockFor(actor, id, 'update');
    if (bulletin.status !== 'DRAFT') throw conflict('Only drafts can be edited; revise a published bulletin instead');
    const indicators = await this.validate(em, input);
    await em.update(Bulletin, id, { ...this.content(input), authorUserId: authorAfter(bulletin, actor) });
    await this.replaceIndicators(em, bulletin, indicators);
    return em.findOneByOrFail(Bulletin, { id });
  }

  async publish(actor: Actor, id: string): Promise<Bulletin> {
    const { em, bulletin: draft } = await this.lockFor(actor, id, 'publish');
    if (draft.status !== 'DRAFT') throw conflict('The bulletin is already published');
    const bulletin = { ...draft, authorUserId: authorAfter(draft, actor) };
    this.assertStillValid(bulletin.validUntil);
    const now = new Date();
    const responseDueAt = dueAfter(now, bulletin.respondWithinMinutes);
    await em.update(Bulletin, id, {
      status: 'PUBLISHED',
      version: 1,
      publishedAt: now,
      listedAt: now,
      responseDueAt,
      authorUserId: bulletin.authorUserId,
    });
    await this.events.announce(
      em,
      { kind: BulletinEventKind.PUBLISHED, bulletinId: id, version: 1 },
      authorOf(bulletin),
    );
    // After announce took the events lock: the version's feed time follows commit order.
    await this.snapshot(em, actor, { ...bulletin, version: 1 }, null);
    await this.responses.request({ ...bulletin, status: 'PUBLISHED', responseDueAt }, now);
    return em.findOneByOrFail(Bulletin, { id });
  }

  async revise(actor: Actor, id: string, input: BulletinInput, changeNote: string): Promise<Bulletin> {
    const { em, bulletin } = await this.lockFor(actor, id, 'revise');
    if (bulletin.status !== 'PUBLISHED') throw conflict(`A ${effectiveStatus(bulletin)} bulletin cannot be revised`);
    const indicators = await this.validate(em, input);
    const version = bulletin.version + 1;
    const now = new Date();
    // A deadline, once set, stands; a revision may ask for responses where the bulletin did not.
    const responseDueAt = bulletin.responseDueAt ?? dueAfter(now, input.respondWithinMinutes ?? null);
    const revised = { ...bulletin, ...this.content(input), version, responseDueAt };
    if (bulletin.responseDueAt) revised.respondWithinMinutes = bulletin.respondWithinMinutes;
    await em.update(Bulletin, id, {
      ...this.content(input),
      respondWithinMinutes: revised.respondWithinMinutes,
      version,
      responseDueAt,
    });
    await this.replaceIndicators(em, bulletin, indicators);
    await this.events.announce(em, { kind: BulletinEventKind.REVISED, bulletinId: id, version }, authorOf(bulletin));
    await this.snapshot(em, actor, revised, changeNote);
    await this.responses.request(revised, now);
    return em.findOneByOrFail(Bulletin, { id });
  }

  async retract(actor: Actor, id: string, reason: string): Promise<Bulletin> {
    const { em, bulletin } = await this.lockFor(actor, id, 'retract');
    if (bulletin.status !== 'PUBLISHED') throw conflict(`A ${effectiveStatus(bulletin)} bulletin cannot be retracted`);
    await em.update(Bulletin, id, { status: 'RETRACTED', retractedAt: new Date(), retractionReason: reason });
    await this.events.announce(
      em,
      { kind: BulletinEventKind.RETRACTED, bulletinId: id, version: bulletin.version },
      authorOf(bulletin),
    );
    await this.bulletins.readdRetractedVersion(id);
    return em.findOneByOrFail(Bulletin, { id });
  }

  /** One acknowledgement per recipient organisation; the author organisation sees them all. */
  async acknowledge(actor: Actor, id: string, note: string | undefined): Promise<Bulletin> {
    const bulletin = await this.queries.get(actor, id);
    const first = await this.acknowledgeFor(actor, await this.abilities.abilityFor(actor), bulletin, note ?? null);
    if (first === null) throw forbidden('Only recipient organisations acknowledge a current bulletin');
    if (!first) throw conflict('Your organisation has already acknowledged this bulletin');
    return bulletin;
  }

  /**
   * The feed's bulk acknowledgement: each bulletin of the selection the caller's organisation may
   * acknowledge and has not yet (its own, retracted and already acknowledged ones are left as they
   * are); the bulletins acknowledged now, each audited for its author organisation as one alone is.
   */
  async acknowledgeEach(actor: Actor, ids: string[]): Promise<Bulletin[]> {
    const ability = await this.abilities.abilityFor(actor);
    const acknowledged: Bulletin[] = [];
    for (const bulletin of await this.queries.getEach(actor, ids)) {
      if (await this.acknowledgeFor(actor, ability, bulletin, null)) acknowledged.push(bulletin);
    }
    await this.queries.recordEach('acknowledgeBulletin', acknowledged);
    return acknowledged;
  }

  /**
   * Acknowledges a bulletin for the caller's organisation: true, false when it already had, null when
   * it may not (its own bulletin, or one no longer current).
   */
  private async acknowledgeFor(
    actor: Actor,
    ability: AppAbility,
    bulletin: Bulletin,
    note: string | null,
  ): Promise<boolean | null> {
    if (!canOn(ability, 'acknowledge', 'Bulletin', bulletin) || effectiveStatus(bulletin) !== 'PUBLISHED') return null;
    return this.bulletins.acknowledge({
      bulletinId: bulletin.id,
      organisationId: actor.organisationId!,
      userId: actor.userId,
      note,
    });
  }

  /** Loads and row-locks a bulletin the caller can see (else NOT_FOUND) and may `action` (else FORBIDDEN). */
  private async lockFor(actor: Actor, id: string, action: Action): Promise<{ em: EntityManager; bulletin: Bulletin }> {
    const bulletin = await this.queries.get(actor, id);
    const em = await this.db.em();
    const fresh = await this.bulletins.locked(bulletin.id);
    if (!canOn(await this.abilities.abilityFor(actor), action, 'Bulletin', fresh)) {
      throw forbidden('Only analysts and organisation admins of the author organisation change a bulletin');
    }
    return { em, bulletin: fresh };
  }

  private content(input: BulletinInput) {
    return {
      title: input.title.trim(),
      summary: input.summary.trim(),
      body: input.body,
      category: input.category,
      severity: input.severity,
      urgency: input.urgency,
      certainty: input.certainty,
      ports: [...new Set(input.ports)],
      tlp: input.tlp,
      recipientOrganisationIds: [...new Set(input.recipientOrganisationIds)],
      recipientUserIds: [...new Set(input.recipientUserIds)],
      validUntil: input.validUntil ?? null,
      sourceReliability: input.sourceReliability,
      informationCredibility: input.informationCredibility,
      showRecipients: input.showRecipients,
      respondWithinMinutes: input.respondWithinMinutes ?? null,
    };
  }

  /** Checks what the schema cannot; returns the normalised, de-duplicated indicators. */
  private async validate(
    em: EntityManager,
    input: BulletinInput,
  ): Promise<{ type: BulletinIndicator['type']; value: string }[]> {
    if (input.tlp === Tlp.RED && !input.recipientUserIds.length) {
      throw badInput('A TLP:RED bulletin needs at least one named recipient user', 'recipientUserIds');
    }
    if (input.tlp !== Tlp.RED && input.recipientUserIds.length) {
      throw badInput('Named recipient users only apply to TLP:RED; name organisations instead', 'recipientUserIds');
    }
    this.assertStillValid(input.validUntil ?? null);
    await assertAllExist(em, 'organisations', input.recipientOrganisationIds, 'recipientOrganisationIds');
    await assertAllExist(em, 'users', input.recipientUserIds, 'recipientUserIds');
    const seen = new Map<string, { type: BulletinIndicator['type']; value: string }>();
    input.indicators.forEach((indicator, i) => {
      const result = normaliseIndicator(indicator.type, indicator.value);
      if (!result.ok) {
        throw new AppError(ErrorCode.BAD_USER_INPUT, `indicators[${i}] (${indicator.type}) ${result.reason}`, {
          field: `indicators[${i}].value`,
          reason: result.reason,
        });
      }
      seen.set(`${indicator.type}:${result.value}`, { type: indicator.type, value: result.value });
    });
    return [...seen.values()];
  }

  private assertStillValid(validUntil: Date | null): void {
    if (validUntil && validUntil <= new Date()) throw badInput('validUntil must be in the future', 'validUntil');
  }

  private async replaceIndicators(
    em: EntityManager,
    bulletin: Bulletin,
    indicators: { type: BulletinIndicator['type']; value: string }[],
  ) {
    await em.delete(BulletinIndicator, { bulletinId: bulletin.id });
    if (!indicators.length) return;
    await em.insert(
      BulletinIndicator,
      indicators.map((i) => ({
        ...i,
        bulletinId: bulletin.id,
        organisationId: bulletin.authorOrganisationId,
        searchKey: indicatorKey(i.type, i.value),
      })),
    );
  }

  private async snapshot(em: EntityManager, actor: Actor, b: Bulletin, changeNote: string | null): Promise<void> {
    const indicators = await em.find(BulletinIndicator, { where: { bulletinId: b.id }, order: { id: 'ASC' } });
    const content = {
      title: b.title,
      summary: b.summary,
      body: b.body,
      category: b.category,
      severity: b.severity,
      urgency: b.urgency,
      certainty: b.certainty,
      ports: b.ports,
      tlp: b.tlp,
      sourceReliability: b.sourceReliability,
      informationCredibility: b.informationCredibility,
      validUntil: b.validUntil,
      recipientOrganisationIds: b.recipientOrganisationIds,
      recipientUserIds: b.recipientUserIds,
      indicators: indicators.map(({ type, value }) => ({ type, value })),
    };
    // The marking columns authorise this version on its own (a later revision may mark it otherwise).
    await this.bulletins.addVersion({
      bulletinId: b.id,
      organisationId: b.authorOrganisationId,
      version: b.version,
      content,
      changeNote,
      publishedBy: actor.userId,
      tlp: b.tlp,
      category: b.category,
      recipientOrganisationIds: b.recipientOrganisationIds,
      recipientUserIds: b.recipientUserIds,
    });
  }
}

const dueAfter = (from: Date, minutes: number | null) => (minutes ? new Date(from.getTime() + minutes * 60_000) : null);

/** A machine client's draft is taken over by the first analyst who edits or publishes it. */
const authorAfter = (b: Bulletin, actor: Actor) => b.authorUserId ?? actor.userId;

/** A published bulletin always names a person as author (bulletins_author_check). */
const authorOf = (b: Bulletin) => ({ organisationId: b.authorOrganisationId, userId: b.authorUserId! });
