import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import type { Actor } from '../common/actor';
import { Bulletin } from '../bulletins/bulletin.entity';
import { BulletinQueriesService } from '../bulletins/bulletin-queries.service';
import { BULLETIN_COLUMNS } from '../bulletins/bulletin-visibility';
import { indicatorKey, normaliseIndicator } from '../bulletins/indicators';
import { CorrelationJob } from '../bulletins/bulletin-events.service';
import { atCap, badInput, conflict, forbidden, notFound } from '../common/errors';
import { memberIdentity, organisationIdentity } from '../common/request-context';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DatabaseService } from '../database/database.service';
import { correlationMail } from '../outbox/mail-templates';
import { MailService } from '../outbox/mail.service';
import { OutboxService } from '../outbox/outbox.service';
import { QUEUE } from '../outbox/outbox-queues';
import { consolePath } from '../shared/console-routes';
import { AbilityFactory } from '../sharing/ability.factory';
import { abilityToSql, canOn } from '../sharing/ability-sql';
import { CorrelationExclusion } from './correlation-exclusion.entity';
import { CorrelationRepository } from './correlation.repository';
import { CorrelationExclusionInput } from './dto/correlation.inputs';
import { CorrelationNotice, RelatedBulletin } from './dto/correlation.types';

/** Related bulletins listed on one bulletin, at most. */
const RELATED_LIMIT = 100;
/** Bulletins sharing a value asked about for one job, at most (their authors are asked). */
const CANDIDATE_ROWS = 2_000;
const NOTICES_LIMIT = 100;
const EXCLUSIONS_PER_ORGANISATION = 500;

/**
 * Correlation: bulletins that share an indicator value (by search key: `indicatorKey`). Nothing about it
 * is stored as a copy of permissions: "Related" is matched when read, under the reader's ability in SQL
 * and row-level security, so a bulletin the reader may not read adds nothing (no entry, no count, no
 * shared value, no rank). When a bulletin is published or revised, or a sighting recorded, a job asks
 * the authors of the bulletins sharing its values, each as themselves, whether the new one relates to a
 * bulletin of theirs they may read it with; each is told once (a notice, and an e-mail if they asked).
 * Values that would correlate with everything are excluded per organisation or for the platform, and
 * each value relates at most CORRELATION_MAX_PER_VALUE bulletins (the most recent).
 */
@Injectable()
export class CorrelationService implements OnApplicationBootstrap {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DatabaseService,
    private readonly repo: CorrelationRepository,
    private readonly abilities: AbilityFactory,
    private readonly queries: BulletinQueriesService,
    private readonly outbox: OutboxService,
    private readonly mail: MailService,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.outbox.work<CorrelationJob>(QUEUE.correlation, (job) => this.correlate(job));
  }

  /** The bulletin's related bulletins as the caller may read them (the caller reads `bulletin` already). */
  async related(actor: Actor, bulletin: Bulletin): Promise<RelatedBulletin[]> {
    const rows = await this.repo.related(await this.visible(actor), actor.organisationId, bulletin.id, this.caps());
    const byId = new Map((await this.repo.bulletins(rows.map((r) => r.bulletin_id))).map((b) => [b.id, b]));
    const related = rows
      .filter((r) => byId.has(r.bulletin_id))
      .map((r) => ({ bulletin: byId.get(r.bulletin_id)!, shared: r.shared }));
    await this.queries.recordListed(
      'relatedBulletins',
      related.map((r) => r.bulletin),
    );
    return related;
  }

  async notices(actor: Actor, unseenOnly: boolean): Promise<CorrelationNotice[]> {
    const records = await this.repo.notices(await this.visible(actor), unseenOnly, NOTICES_LIMIT);
    const shared = await this.repo.shared(
      actor.organisationId,
      records.map((n) => ({ bulletinId: n.bulletinId, relatedId: n.relatedBulletinId })),
    );
    const bulletins = new Map(
      (await this.repo.bulletins([...new Set(records.flatMap((n) => [n.bulletinId, n.relatedBulletinId]))])).map(
        (b) => [b.id, b],
      ),
    );
    return records.map((n) => ({
      id: n.id,
      kind: n.kind,
      bulletin: bulletins.get(n.bulletinId)!,
      related: bulletins.get(n.relatedBulletinId)!,
      shared: shared
        .filter((s) => s.bulletin_id === n.bulletinId && s.related_id === n.relatedBulletinId)
        .map(({ type, value }) => ({ type, value })),
      createdAt: n.createdAt,
      seen: n.seenAt !== null,
    }));
  }

  markSeen(ids: string[] | undefined): Promise<number> {
    return this.repo.markSeen(ids);
  }

  correlationMail(actor: Actor): Promise<boolean> {
    return this.repo.correlationMail(actor.userId);
  }

  async setCorrelationMail(actor: Actor, enabled: boolean): Promise<boolean> {
    await this.repo.setCorrelationMail(actor.userId, enabled);
    return enabled;
  }

  /** The platform's exclusions and the caller's organisation's (row-level security: no other organisation's). */
  exclusions(): Promise<CorrelationExclusion[]> {
    return this.repo.exclusions();
  }

  async addExclusion(actor: Actor, input: CorrelationExclusionInput): Promise<CorrelationExclusion> {
    const organisationId = input.platform ? null : actor.organisationId;
    const ability = await this.abilities.abilityFor(actor);
    if (!canOn(ability, 'create', 'CorrelationExclusion', { organisationId }))
      throw forbidden(
        input.platform
          ? 'Only platform administrators exclude a value for the platform'
          : 'Only organisation admins exclude values for their organisation',
      );
    const value = input.prefix ? input.value.trim() : this.normalised(input);
    if (!value) throw badInput('A prefix cannot be empty', 'value');
    if ((await this.repo.countExclusions(organisationId)) >= EXCLUSIONS_PER_ORGANISATION)
      throw atCap('correlation exclusions', EXCLUSIONS_PER_ORGANISATION);
    const created = await this.repo.addExclusion({
      organisationId,
      type: input.type,
      value,
      searchKey: indicatorKey(input.type, value),
      prefix: input.prefix,
      note: input.note.trim(),
      createdBy: actor.userId,
    });
    if (!created) throw conflict('This value is excluded already');
    return created;
  }

  /** Another organisation's exclusion answers as one that does not exist (row-level security). */
  async removeExclusion(actor: Actor, id: string): Promise<CorrelationExclusion> {
    const found = await this.repo.exclusion(id);
    if (!found) throw notFound('Correlation exclusion');
    if (!canOn(await this.abilities.abilityFor(actor), 'delete', 'CorrelationExclusion', found))
      throw forbidden(
        'Only admins remove exclusions: organisation admins their own, platform administrators the platform’s',
      );
    await this.repo.removeExclusion(id);
    return found;
  }

  /**
   * The job of a published or revised bulletin, or of a sighting on one: who may have to be told, and
   * about which of their bulletins, is found by value (`correlation_candidates`: ids only); whether
   * they are is decided acting as each of them, with their ability, row-level security and their
   * organisation's exclusions, as if they had opened the bulletin themselves.
   */
  async correlate(job: CorrelationJob): Promise<void> {
    const candidates = await this.db.withRequest({ identity: organisationIdentity(job.organisationId) }, () =>
      this.repo.candidates(job.bulletinId, job.keys ?? null, {
        perValue: this.config.CORRELATION_MAX_PER_VALUE,
        rows: CANDIDATE_ROWS,
      }),
    );
    const people = new Map<string, { userId: string; organisationId: string; theirs: Map<string, string[]> }>();
    for (const c of candidates) {
      if (c.user_id === job.actorUserId) continue;
      const key = `${c.user_id}|${c.organisation_id}`;
      const person = people.get(key) ?? { userId: c.user_id, organisationId: c.organisation_id, theirs: new Map() };
      person.theirs.set(c.bulletin_id, c.keys);
      people.set(key, person);
    }
    for (const person of people.values())
      await this.db.withRequest({ identity: memberIdentity(person.userId, person.organisationId) }, () =>
        this.tell(job, person),
      );
  }

  /** In a transaction acting as the person: their notices of the job's bulletin, and the e-mail if they asked. */
  private async tell(
    job: CorrelationJob,
    person: { userId: string; organisationId: string; theirs: Map<string, string[]> },
  ): Promise<void> {
    const { userId, organisationId } = person;
    const ability = await this.abilities.forRecipient(await this.db.em(), userId, organisationId);
    if (!ability) return;
    const [bulletin] = await this.repo.bulletins([job.bulletinId]);
    if (!bulletin || !canOn(ability, 'read', 'Bulletin', bulletin)) return;
    const excluded = await this.repo.excluded(organisationId, [...new Set([...person.theirs.values()].flat())]);
    // Their bulletins that share a value their organisation does not exclude, with those values.
    const related = [...person.theirs]
      .map(([theirs, keys]) => [theirs, keys.filter((k) => !excluded.has(k))] as const)
      .filter(([, keys]) => keys.length);
    const added = await this.repo.addNotices(
      related.map(([theirs]) => ({
        userId,
        organisationId,
        bulletinId: theirs,
        relatedBulletinId: job.bulletinId,
        kind: job.kind,
      })),
    );
    if (!added) return;
    const recipient = await this.repo.mailTo(userId);
    if (!recipient?.correlation_mail) return;
    const shared = [...new Set(related.flatMap(([, keys]) => keys))];
    await this.mail.send({
      to: recipient.email,
      messageId: `<correlation-${job.kind}-${job.bulletinId}-${job.version}-${userId}@harbourwatch>`,
      sender: bulletin.authorOrganisationId,
      ...correlationMail({
        kind: job.kind,
        tlp: bulletin.tlp,
        title: bulletin.title,
        shared: await this.repo.valuesOf(job.bulletinId, shared),
        yours: related.length,
        link: `${this.config.publicUrl}${consolePath('bulletin', { id: bulletin.id })}`,
        settings: `${this.config.publicUrl}${consolePath('alerts')}`,
      }),
    });
  }

  private normalised(input: CorrelationExclusionInput): string {
    const normalised = normaliseIndicator(input.type, input.value);
    if (!normalised.ok) throw badInput(`value (${input.type}) ${normalised.reason}`, 'value');
    return normalised.value;
  }

  private caps() {
    return { perValue: this.config.CORRELATION_MAX_PER_VALUE, limit: RELATED_LIMIT };
  }

  private async visible(actor: Actor) {
    return abilityToSql(await this.abilities.abilityFor(actor), 'read', 'Bulletin', BULLETIN_COLUMNS);
  }
}
