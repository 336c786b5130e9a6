import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/actor';
import { Connection, decodeCursor, toConnection } from '../common/pagination';
import { AuditService } from '../audit/audit.service';
import { DatabaseService } from '../database/database.service';
import { AbilityFactory } from '../sharing/ability.factory';
import { ProcessingLogArgs, ProcessingLogEntry, ProcessingOperation } from './dto/rights.types';

const { COLLECTION, ALTERATION, CONSULTATION, DISCLOSURE, COMBINATION, ERASURE } = ProcessingOperation;

/**
 * The audit trail's actions on bulletins, vetting records and cases, as the operations LED art. 25
 * names. The trail records each with who, when and what; this reads them back for the DPO.
 */
const OPERATIONS: Readonly<Record<string, ProcessingOperation>> = {
  createBulletin: COLLECTION,
  importStixBundle: COLLECTION,
  addTaxiiObjects: COLLECTION,
  recordVetting: COLLECTION,
  submitReport: COLLECTION,
  recordSighting: COLLECTION,
  updateDraft: ALTERATION,
  reviseBulletin: ALTERATION,
  changeVettingStatus: ALTERATION,
  renewVetting: ALTERATION,
  recordEmploymentEnd: ALTERATION,
  setCaseStatus: ALTERATION,
  readBulletin: CONSULTATION,
  listBulletins: CONSULTATION,
  searchIndicators: CONSULTATION,
  exportStix: CONSULTATION,
  exportCap: CONSULTATION,
  exportMisp: CONSULTATION,
  readVettingRecord: CONSULTATION,
  listVettingRecords: CONSULTATION,
  checkVettingStatus: CONSULTATION,
  readWhistleblowerCase: CONSULTATION,
  readWhistleblowerAttachment: CONSULTATION,
  listWhistleblowerCases: CONSULTATION,
  listRecipientDirectory: CONSULTATION,
  publishBulletin: DISCLOSURE,
  referCase: DISCLOSURE,
  draftBulletinFromCase: DISCLOSURE,
  replyToReporter: DISCLOSURE,
  crossMatchAnswered: DISCLOSURE,
  relatedBulletins: COMBINATION,
  crossMatchSubjects: COMBINATION,
  retractBulletin: ERASURE,
  purgeVettingRecords: ERASURE,
  purgeWhistleblowerCases: ERASURE,
  purgeBulletins: ERASURE,
  eraseMember: ERASURE,
};

@Injectable()
export class ProcessingLogService {
  constructor(
    private readonly db: DatabaseService,
    private readonly abilities: AbilityFactory,
    private readonly audit: AuditService,
  ) {}

  /**
   * The organisation's operations, newest first: what its people did (and the platform did for it, such
   * as purges), with the justification given and, for a bulletin disclosed, to whom. For its DPO alone.
   */
  async list(actor: Actor, args: ProcessingLogArgs): Promise<Connection<ProcessingLogEntry>> {
    const org = await this.abilities.organisationFor(
      actor,
      'read',
      'ProcessingLog',
      "Only the organisation's data protection officer reads its processing log",
    );
    const f = args.filter ?? {};
    const actions = Object.keys(OPERATIONS).filter((a) => !f.operation || OPERATIONS[a] === f.operation);
    const params: unknown[] = [org, actions, f.from ?? null, f.to ?? null, args.first + 1];
    const after = args.after ? decodeCursor(args.after, 1)[0] : null;
    params.push(after);
    const rows: Omit<ProcessingLogEntry, 'operation'>[] = await (
      await this.db.em()
    ).query(
      `SELECT e.seq::text AS seq, e.at, e.action, e.object_type AS "objectType", e.object_id AS "objectId",
              e.actor_user_id AS "actorUserId", u.display_name AS "actorName",
              e.details->>'justification' AS justification, e.details,
              CASE WHEN b.id IS NOT NULL THEN b.tlp || coalesce(': ' || (
                SELECT string_agg(o.name, ', ' ORDER BY o.name) FROM organisations o
                 WHERE o.id = ANY (b.recipient_organisation_ids)), '') END AS recipients
         FROM audit_events e
         LEFT JOIN users u ON u.id = e.actor_user_id
         LEFT JOIN bulletins b ON e.action = 'publishBulletin' AND b.id::text = e.details->'arguments'->>'id'
        WHERE e.action = ANY ($2)
          AND (e.actor_organisation_id = $1 OR (e.actor_organisation_id IS NULL AND e.subject_organisation_id = $1))
          AND ($3::timestamptz IS NULL OR e.at >= $3) AND ($4::timestamptz IS NULL OR e.at < $4)
          AND ($6::bigint IS NULL OR e.seq < $6)
        ORDER BY e.seq DESC LIMIT $5`,
      params,
    );
    await this.audit.record({
      action: 'readProcessingLog',
      objectType: 'ProcessingLog',
      subjectOrganisationId: org,
      details: { entries: Math.min(rows.length, args.first) },
    });
    return toConnection(
      rows.map((r) => ({ ...r, operation: OPERATIONS[r.action] })),
      args.first,
      (e) => [e.seq],
    );
  }
}
