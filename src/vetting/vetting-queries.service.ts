import { Inject, Injectable } from '@nestjs/common';
import { In, SelectQueryBuilder } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../common/actor';
import { OrganisationRef } from '../common/dto/organisation-ref.types';
import { badInput, forbidden, notFound } from '../common/errors';
import { organisationRefs } from '../organisations/organisation-refs';
import { Connection, decodeCursor, toConnection } from '../common/pagination';
import { groupBy, requestLoader } from '../common/request-loaders';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DatabaseService } from '../database/database.service';
import { AbilityFactory, AppAbility } from '../sharing/ability.factory';
import { abilityToSql, canOn } from '../sharing/ability-sql';
import {
  CheckVettingStatusArgs,
  VettingRecordFilter,
  VettingRecordsArgs,
  VettingSubjectKeyInput,
} from './dto/vetting.inputs';
import { MAX_CROSS_MATCH } from '../shared/vetting-rules';
import { CrossMatchHit, VettingRecordView, VettingStatusChange, VettingStatusCheck } from './dto/vetting.types';
import { IdentityEnvelope, noteContext } from './identity-envelope';
import { subjectPseudonyms } from './subject-pseudonym';
import { EFFECTIVE_VETTING_STATUS_SQL, effectiveVettingStatus, LAPSING_STATUSES } from './vetting-enums';
import { VettingRecord } from './vetting-record.entity';
import { HistoryRow, VettingRepository } from './vetting.repository';

/** Subjects made pseudonyms per turn of the event loop (about a millisecond's work). */
const PSEUDONYMS_PER_TURN = 250;

/** How the ability's fields map to SQL in this domain's list queries (docs/authorization/ability-sql.md shows the result). */
export const VETTING_COLUMNS = {
  organisationId: 'v.organisation_id',
  employerOrganisationId: 'v.employer_organisation_id',
  level: 'v.level',
};

/** Reading vetting records, badge checks and cross-matches: each filtered by the caller's ability in SQL, each audited. */
@Injectable()
export class VettingQueriesService {
  constructor(
    private readonly db: DatabaseService,
    private readonly records: VettingRepository,
    private readonly abilities: AbilityFactory,
    private readonly audit: AuditService,
    private readonly envelope: IdentityEnvelope,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The record if the caller may read it, else NOT_FOUND exactly as for an unknown id. */
  async get(actor: Actor, id: string): Promise<VettingRecord> {
    const record = await (await this.db.em()).findOneBy(VettingRecord, { id });
    if (!record || !canOn(await this.abilities.abilityFor(actor), 'read', 'VettingRecord', record))
      throw notFound('Vetting record');
    return record;
  }

  /** The `vettingRecord` query: reading an identity is a sensitive read, audited for both organisations. */
  async read(actor: Actor, id: string): Promise<VettingRecordView> {
    const record = await this.get(actor, id);
    await this.audit.record({
      action: 'readVettingRecord',
      objectType: 'VettingRecord',
      objectId: id,
      subjectOrganisationId: otherParty(actor, record),
    });
    return this.view(record, await this.abilities.abilityFor(actor));
  }

  async list(actor: Actor, args: VettingRecordsArgs): Promise<Connection<VettingRecordView>> {
    const qb = await this.visible(actor, 'read');
    if (args.filter) applyFilter(qb, args.filter);
    qb.orderBy('v.created_at', 'DESC')
      .addOrderBy('v.id', 'DESC')
      .limit(args.first + 1);
    if (args.after) {
      const [at, id] = decodeCursor(args.after, 2);
      qb.andWhere('(v.created_at, v.id) < (:at::timestamptz, :id::uuid)', { at, id });
    }
    const rows = await qb.getMany();
    const page = rows.slice(0, args.first);
    if (page.length) {
      await this.audit.record({
        action: 'listVettingRecords',
        objectType: 'VettingRecord',
        details: { recordIds: page.map((r) => r.id) },
      });
    }
    const ability = await this.abilities.abilityFor(actor);
    return toConnection(
      rows.map((r) => this.view(r, ability)),
      args.first,
      (v) => [v.createdAt.toISOString(), v.id],
    );
  }

  /**
   * A badge check: status and validity of the subject's most recently decided record among those the
   * caller may check. Unknown subjects and records the caller may not check are the same NOT_FOUND;
   * both outcomes are audited (a miss after the request, in its own transaction, as the request's rolls back).
   */
  async check(actor: Actor, args: CheckVettingStatusArgs): Promise<VettingStatusCheck> {
    const pseudonyms = subjectPseudonyms(this.config.pseudonymKeys, args);
    const record = await (
      await this.visible(actor, 'check')
    )
      .andWhere('v.subject_pseudonym IN (:...pseudonyms)', { pseudonyms })
      .orderBy('v.status_changed_at', 'DESC')
      .limit(1)
      .getOne();
    const entry = { action: 'checkVettingStatus', objectType: 'VettingRecord' };
    if (!record) {
      const by = { userId: actor.userId, organisationId: actor.organisationId };
      // Recorded once the request has given its connection back, as the request itself rolls back.
      this.db.afterRequest((em) => this.audit.record({ ...entry, actor: by, details: { outcome: 'NOT_FOUND' } }, em));
      throw notFound('Vetting status');
    }
    await this.audit.record({
      ...entry,
      objectId: record.id,
      subjectOrganisationId: record.organisationId,
      details: { outcome: 'FOUND' },
    });
    return {
      status: effectiveVettingStatus(record),
      level: record.level,
      validUntil: record.validUntil,
      vettingAuthority: await this.organisation(record.organisationId),
    };
  }

  /**
   * A vetting subject's access request, answered by the authority from its own records only: every record
   * it holds on the subject, in full (reason codes and history too). None is an answer as well.
   */
  async subjectAccess(actor: Actor, args: CheckVettingStatusArgs): Promise<VettingRecordView[]> {
    const org = await this.abilities.organisationFor(
      actor,
      'readRestricted',
      'VettingRecord',
      "Only a vetting authority's analysts and admins answer its subjects' access requests",
    );
    const ability = await this.abilities.abilityFor(actor);
    const records = await (
      await this.db.em()
    ).find(VettingRecord, {
      where: { organisationId: org, subjectPseudonym: In(subjectPseudonyms(this.config.pseudonymKeys, args)) },
      order: { createdAt: 'ASC' },
    });
    await this.audit.record({
      action: 'answerVettingSubjectAccess',
      objectType: 'VettingRecord',
      subjectOrganisationId: org,
      details: { records: records.map((r) => r.id) },
    });
    return records.map((r) => this.view(r, ability));
  }

  /**
   * Cross-match (after FIU.net ma3tch): which submitted subjects another authority refused, revoked or
   * suspended, and whom to contact; one indexed query for the whole list. The asking organisation's
   * trail records the question, each answering organisation's trail the records that matched.
   */
  async crossMatch(actor: Actor, subjects: VettingSubjectKeyInput[]): Promise<CrossMatchHit[]> {
    const org = actor.organisationId;
    if (
      !org ||
      !canOn(await this.abilities.abilityFor(actor), 'crossMatch', 'VettingRecord', { organisationId: org })
    ) {
      throw forbidden('Only analysts and admins of a vetting authority cross-match subjects');
    }
    if (!subjects.length || subjects.length > MAX_CROSS_MATCH)
      throw badInput(`Send 1 to ${MAX_CROSS_MATCH} subjects at a time`, 'subjects');
    const pseudonyms: Buffer[] = [];
    for (const [i, subject] of subjects.entries()) {
      // Gives way between slices: several requests' thousands of pseudonyms in one go held every other
      // answer on this server up to ~80 ms.
      if (i && i % PSEUDONYMS_PER_TURN === 0) await new Promise(setImmediate);
      pseudonyms.push(...subjectPseudonyms(this.config.pseudonymKeys, subject, `subjects.${i}.`));
    }
    // One pseudonym per key and subject, subject after subject: the subject is the index over the keys.
    const keys = this.config.pseudonymKeys.length;
    const rows = (await this.records.crossMatch(pseudonyms)).map((r) => ({ ...r, idx: Math.floor(r.idx / keys) }));
    // One hit per subject and authority: its most recent adverse decision (the function orders them).
    const hits = new Map<string, (typeof rows)[number]>();
    for (const row of rows)
      if (!hits.has(`${row.idx}:${row.organisation_id}`)) hits.set(`${row.idx}:${row.organisation_id}`, row);
    const contacts = [...new Set(rows.map((r) => r.organisation_id))];
    await this.audit.record({
      action: 'crossMatchSubjects',
      objectType: 'VettingRecord',
      details: { submitted: subjects.length, hits: hits.size, contactOrganisationIds: contacts },
    });
    for (const [i, records] of groupBy(contacts, rows, (r) => r.organisation_id).entries()) {
      await this.audit.record({
        action: 'crossMatchAnswered',
        objectType: 'VettingRecord',
        subjectOrganisationId: contacts[i],
        details: { recordIds: [...new Set(records.map((r) => r.record_id))] },
      });
    }
    return Promise.all(
      [...hits.values()].map(async (h) => ({
        index: h.idx,
        status: h.status,
        contactOrganisation: await this.organisation(h.organisation_id),
      })),
    );
  }

  /** The status history; who changed it, why and the notes are for the vetting authority only. */
  async history(view: VettingRecordView): Promise<VettingStatusChange[]> {
    const rows = await requestLoader<string, HistoryRow[]>('vetting.history', async (ids) =>
      groupBy(ids, await this.records.history(ids), (r) => r.record_id),
    ).load(view.id);
    const box = view.restricted && rows.length ? this.envelope.boxFor(view.id, rows[0].identity_key) : null;
    return rows.map((r) => ({
      kind: r.kind,
      status: r.status,
      validUntil: r.valid_until,
      changedAt: r.changed_at,
      reasonCode: box ? r.reason_code : null,
      note: box && r.note ? box.open(r.note, noteContext(view.id, r.id)) : null,
      changedByUserId: box ? r.changed_by : null,
    }));
  }

  organisation(id: string): Promise<OrganisationRef> {
    return organisationRefs(this.db).load(id);
  }

  /** What the caller reads of a record it may read: the identity opened, the status as of now. */
  view(record: VettingRecord, ability: AppAbility): VettingRecordView {
    const identity = this.envelope.openIdentity(record.id, { dataKey: record.identityKey, identity: record.identity });
    const restricted = canOn(ability, 'readRestricted', 'VettingRecord', record);
    return {
      id: record.id,
      subject: { ...identity, documentNumberEnding: identity.documentNumber.slice(-3) },
      level: record.level,
      status: effectiveVettingStatus(record),
      validFrom: record.validFrom,
      validUntil: record.validUntil,
      reasonCode: restricted ? record.reasonCode : null,
      statusChangedAt: record.statusChangedAt,
      employmentEndedOn: record.employmentEndedOn,
      createdAt: record.createdAt,
      organisationId: record.organisationId,
      employerOrganisationId: record.employerOrganisationId,
      restricted,
    };
  }

  private async visible(actor: Actor, action: 'read' | 'check'): Promise<SelectQueryBuilder<VettingRecord>> {
    const visible = abilityToSql(await this.abilities.abilityFor(actor), action, 'VettingRecord', VETTING_COLUMNS);
    return (await this.db.em()).getRepository(VettingRecord).createQueryBuilder('v').where(visible.sql, visible.params);
  }
}

function applyFilter(qb: SelectQueryBuilder<VettingRecord>, f: VettingRecordFilter): void {
  if (f.status) qb.andWhere(`${EFFECTIVE_VETTING_STATUS_SQL} = :status`, { status: f.status });
  if (f.employerOrganisationId)
    qb.andWhere('v.employer_organisation_id = :employer', { employer: f.employerOrganisationId });
  if (f.expiringBefore) {
    qb.andWhere('v.status = ANY(:lapsing) AND v.valid_until > now() AND v.valid_until <= :before', {
      lapsing: LAPSING_STATUSES,
      before: f.expiringBefore,
    });
  }
}

/** The organisation on the other side of a read: its admins see it in their trail. */
function otherParty(actor: Actor, record: VettingRecord): string {
  return actor.organisationId === record.organisationId ? record.employerOrganisationId : record.organisationId;
}
