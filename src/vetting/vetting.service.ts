import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import type { Actor } from '../common/actor';
import { badInput, conflict, forbidden } from '../common/errors';
import { assertAllExist } from '../common/ids-exist';
import { SecretBox } from '../common/secret-box';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DatabaseService } from '../database/database.service';
import { AbilityFactory } from '../sharing/ability.factory';
import { canOn } from '../sharing/ability-sql';
import {
  ChangeVettingStatusArgs,
  RecordEmploymentEndArgs,
  RecordVettingInput,
  RenewVettingArgs,
} from './dto/vetting.inputs';
import { VettingRecordView, VettingRetention } from './dto/vetting.types';
import { IdentityEnvelope, noteContext } from './identity-envelope';
import { normaliseSubject, pseudonymKeyId, subjectPseudonyms } from './subject-pseudonym';
import {
  ADVERSE_STATUSES,
  CLEARANCE_STATUSES,
  effectiveVettingStatus,
  VettingReasonCode,
  VettingStatus,
} from './vetting-enums';
import { TRANSITIONS } from '../shared/vetting-rules';
import { VettingQueriesService } from './vetting-queries.service';
import { VettingRecord } from './vetting-record.entity';
import { VettingRepository } from './vetting.repository';

type ChangeKind = 'RECORDED' | 'STATUS_CHANGED' | 'RENEWED' | 'EMPLOYMENT_ENDED';

/** Recording and deciding vetting statuses: the vetting authority's side. Every change lands in the history. */
@Injectable()
export class VettingService {
  constructor(
    private readonly db: DatabaseService,
    private readonly records: VettingRepository,
    private readonly abilities: AbilityFactory,
    private readonly queries: VettingQueriesService,
    private readonly envelope: IdentityEnvelope,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async record(actor: Actor, input: RecordVettingInput): Promise<VettingRecordView> {
    const org = await this.abilities.organisationFor(
      actor,
      'create',
      'VettingRecord',
      'Only analysts and admins of a port authority, police or customs record vetting statuses',
    );
    const key = normaliseSubject(input, 'input.');
    const dateOfBirth = checkDateOfBirth(input.dateOfBirth);
    const fullName = input.fullName.trim();
    if (!fullName) throw badInput('fullName is empty', 'input.fullName');
    const validFrom = input.validFrom ?? new Date();
    checkDecision(input.status, input.reasonCode ?? null, input.validUntil ?? null, validFrom, 'input.');
    const em = await this.db.em();
    await assertAllExist(em, 'organisations', [input.employerOrganisationId], 'input.employerOrganisationId');

    const [current, ...previous] = subjectPseudonyms(this.config.pseudonymKeys, key);
    const id = randomUUID();
    const { sealed, box } = this.envelope.seal(id, { ...key, fullName, dateOfBirth });
    const inserted = await this.records.insert({
      id,
      organisationId: org,
      employerOrganisationId: input.employerOrganisationId,
      subjectPseudonym: current,
      pseudonymKey: pseudonymKeyId(this.config.pseudonymKey),
      previousPseudonyms: previous,
      identityKey: sealed.dataKey,
      identity: sealed.identity,
      level: input.level,
      status: input.status,
      reasonCode: input.reasonCode ?? null,
      validFrom,
      validUntil: input.validUntil ?? null,
    });
    if (!inserted)
      throw conflict('Your organisation already holds a record of this subject for this employer: change or renew it');
    const record = await em.findOneByOrFail(VettingRecord, { id });
    await this.logChange(box, record, 'RECORDED', actor, input.note);
    return this.queries.view(record, await this.abilities.abilityFor(actor));
  }

  async changeStatus(
    actor: Actor,
    { id, status, reasonCode, note }: ChangeVettingStatusArgs,
  ): Promise<VettingRecordView> {
    const { em, record, box } = await this.lockForUpdate(actor, id);
    const current = effectiveVettingStatus(record);
    if (!TRANSITIONS[current].includes(status)) {
      throw conflict(
        `A ${current} record cannot become ${status}${current === VettingStatus.EXPIRED ? ': renew it first' : ''}`,
      );
    }
    checkDecision(status, reasonCode ?? null, record.validUntil, record.validFrom);
    await em.update(VettingRecord, id, {
      status,
      reasonCode: reasonCode ?? null,
      statusChangedAt: new Date(),
      updatedAt: new Date(),
    });
    return this.afterChange(actor, em, box, id, 'STATUS_CHANGED', note);
  }

  /** A new validity end for a CLEARED or CONDITIONAL record, also one that has expired. */
  async renew(actor: Actor, { id, validUntil, note }: RenewVettingArgs): Promise<VettingRecordView> {
    const { em, record, box } = await this.lockForUpdate(actor, id);
    if (!CLEARANCE_STATUSES.includes(record.status)) {
      throw conflict(`A ${effectiveVettingStatus(record)} record cannot be renewed`);
    }
    if (validUntil <= new Date()) throw badInput('validUntil must be in the future', 'validUntil');
    await em.update(VettingRecord, id, { validUntil, updatedAt: new Date() });
    return this.afterChange(actor, em, box, id, 'RENEWED', note);
  }

  /** The subject left the employer: the retention period runs from that day as from an expiry. */
  async recordEmploymentEnd(actor: Actor, { id, endedOn }: RecordEmploymentEndArgs): Promise<VettingRecordView> {
    const { em, box } = await this.lockForUpdate(actor, id);
    if (!isCalendarDate(endedOn)) throw badInput('endedOn must be a real date (YYYY-MM-DD)', 'endedOn');
    await em.update(VettingRecord, id, { employmentEndedOn: endedOn, updatedAt: new Date() });
    return this.afterChange(actor, em, box, id, 'EMPLOYMENT_ENDED', `Employment ended on ${endedOn}`);
  }

  async retention(actor: Actor): Promise<VettingRetention> {
    const r = await this.records.retention(await this.authorityOf(actor, 'readRestricted'));
    return {
      days: r.days,
      dueNow: r.due_now,
      lastPurgedAt: r.last_purged_at,
      lastPurged: r.last_purged,
      purgedTotal: r.purged_total,
    };
  }

  async setRetention(actor: Actor, days: number): Promise<VettingRetention> {
    await this.records.setRetention(await this.authorityOf(actor, 'manageRetention'), days);
    return this.retention(actor);
  }

  /** The acting organisation, if the caller may do `action` on the vetting records it keeps. */
  private authorityOf(actor: Actor, action: 'readRestricted' | 'manageRetention'): Promise<string> {
    return this.abilities.organisationFor(
      actor,
      action,
      'VettingRecord',
      "Only a vetting authority's analysts and admins see its retention rule; its admins set it",
    );
  }

  /** The record under a row lock, for its authority; readers who may not change it are refused, others see NOT_FOUND. */
  private async lockForUpdate(
    actor: Actor,
    id: string,
  ): Promise<{ em: EntityManager; record: VettingRecord; box: SecretBox }> {
    if (!canOn(await this.abilities.abilityFor(actor), 'update', 'VettingRecord', await this.queries.get(actor, id))) {
      throw forbidden('Only the vetting authority changes a vetting status');
    }
    const em = await this.db.em();
    const record = await em
      .getRepository(VettingRecord)
      .createQueryBuilder('v')
      .where('v.id = :id', { id })
      .setLock('pessimistic_write')
      .getOneOrFail();
    return { em, record, box: this.envelope.boxFor(id, record.identityKey) };
  }

  private async afterChange(
    actor: Actor,
    em: EntityManager,
    box: SecretBox,
    id: string,
    kind: ChangeKind,
    note?: string,
  ) {
    const record = await em.findOneByOrFail(VettingRecord, { id });
    await this.logChange(box, record, kind, actor, note);
    return this.queries.view(record, await this.abilities.abilityFor(actor));
  }

  private async logChange(box: SecretBox, r: VettingRecord, kind: ChangeKind, actor: Actor, note?: string) {
    const changeId = randomUUID();
    await this.records.logChange({
      id: changeId,
      recordId: r.id,
      organisationId: r.organisationId,
      kind,
      status: r.status,
      reasonCode: r.reasonCode,
      validUntil: r.validUntil,
      note: note ? box.seal(note, noteContext(r.id, changeId)) : null,
      changedBy: actor.userId,
    });
  }
}

/** Adverse decisions carry a reason code, and only they do; clearances carry a validity end in the future. */
function checkDecision(
  status: VettingStatus,
  reasonCode: VettingReasonCode | null,
  validUntil: Date | null,
  validFrom: Date,
  prefix = '',
): void {
  const adverse = ADVERSE_STATUSES.includes(status);
  if (adverse && !reasonCode) throw badInput(`${status} needs a reasonCode`, `${prefix}reasonCode`);
  if (!adverse && reasonCode)
    throw badInput('reasonCode applies to REFUSED, REVOKED and SUSPENDED only', `${prefix}reasonCode`);
  if (CLEARANCE_STATUSES.includes(status)) {
    if (!validUntil) throw badInput(`${status} needs validUntil`, `${prefix}validUntil`);
    if (validUntil <= new Date())
      throw badInput('validUntil must be in the future: renew the record first', `${prefix}validUntil`);
  }
  if (validUntil && validUntil <= validFrom)
    throw badInput('validUntil must be after validFrom', `${prefix}validUntil`);
}

function isCalendarDate(value: string): boolean {
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

/** A real calendar date, in the past, within a human lifetime. */
function checkDateOfBirth(value: string): string {
  const date = new Date(`${value}T00:00:00Z`);
  if (!isCalendarDate(value) || date > new Date() || date.getUTCFullYear() < 1900) {
    throw badInput('dateOfBirth must be a real date (YYYY-MM-DD) between 1900 and today', 'input.dateOfBirth');
  }
  return value;
}
