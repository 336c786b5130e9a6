import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../common/actor';
import { forbidden } from '../common/errors';
import { Connection, decodeCursor, PageArgs, toConnection } from '../common/pagination';
import { DatabaseService } from '../database/database.service';
import { MembersService } from '../organisations/members.service';
import { CheckVettingStatusArgs } from '../vetting/dto/vetting.inputs';
import { VettingRecordView } from '../vetting/dto/vetting.types';
import { VettingQueriesService } from '../vetting/vetting-queries.service';
import { AbilityFactory } from '../sharing/ability.factory';
import { DataSubjectRequestKind } from './data-subject-request.entity';
import { DataSubjectRequestView, ErasureAction, ErasureOutcome } from './dto/rights.types';

interface Erased {
  pseudonymised: boolean;
  label?: string;
  deleted: Record<string, number>;
}

/** What stays after an erasure, under the pseudonym: records others rely on (GDPR art. 17(3)(b) and (e)). */
const KEPT = ['bulletinsWritten', 'auditEvents', 'vettingAndCases', 'deliveryRecords'];

@Injectable()
export class DataSubjectRightsService {
  constructor(
    private readonly db: DatabaseService,
    private readonly abilities: AbilityFactory,
    private readonly members: MembersService,
    private readonly vetting: VettingQueriesService,
    private readonly audit: AuditService,
  ) {}

  /** Everything the platform holds about the caller, as one document; the request is kept for the DPO. */
  async personalData(actor: Actor): Promise<Record<string, unknown>> {
    if (actor.machineClient) throw forbidden('An API key has no personal data: a person asks for their own');
    const em = await this.db.em();
    const [{ data }]: { data: Record<string, unknown> }[] = await em.query(`SELECT personal_data_of($1) AS data`, [
      actor.userId,
    ]);
    if (actor.organisationId)
      await this.recordRequest(actor, DataSubjectRequestKind.ACCESS, actor.userId, {
        selfService: true,
        sections: Object.keys(data),
      });
    await this.audit.record({ action: 'downloadPersonalData', objectType: 'User', objectId: actor.userId });
    return { generatedAt: new Date().toISOString(), ...data };
  }

  /**
   * An organisation admin erases a member: the membership goes (as removeMember), then what only served
   * the person there; once they belong nowhere, the account is pseudonymised and its credentials,
   * sessions and preferences deleted. Records others rely on stay under the pseudonym.
   */
  async eraseMember(actor: Actor, userId: string): Promise<ErasureOutcome> {
    const org = await this.abilities.organisationFor(
      actor,
      'erase',
      'Membership',
      'Only organisation admins erase members',
    );
    await this.members.remove(actor, userId);
    const em = await this.db.em();
    const [{ erased }]: { erased: Erased }[] = await em.query(`SELECT erase_person($1, $2) AS erased`, [userId, org]);
    const step = (category: string, action: ErasureAction, count: number | null = null) => ({
      category,
      action,
      count,
    });
    const outcome: ErasureOutcome = {
      pseudonymised: erased.pseudonymised,
      label: erased.label ?? null,
      steps: [
        step('membership', ErasureAction.DELETED),
        step('account', erased.pseudonymised ? ErasureAction.PSEUDONYMISED : ErasureAction.KEPT),
        ...Object.entries(erased.deleted)
          .filter(([, n]) => n > 0)
          .map(([category, n]) => step(category, ErasureAction.DELETED, n)),
        ...(erased.pseudonymised ? KEPT.map((category) => step(category, ErasureAction.KEPT_PSEUDONYMISED)) : []),
      ],
    };
    await this.recordRequest(actor, DataSubjectRequestKind.ERASURE, userId, { ...outcome });
    return outcome;
  }

  /**
   * A vetting subject asked the authority what it holds on them: its records, in full; the request is
   * kept for the DPO with the number of records, never the subject's identity.
   */
  async vettingSubjectAccess(actor: Actor, args: CheckVettingStatusArgs): Promise<VettingRecordView[]> {
    const records = await this.vetting.subjectAccess(actor, args);
    await this.recordRequest(actor, DataSubjectRequestKind.VETTING_ACCESS, null, { records: records.length });
    return records;
  }

  /** The organisation's requests, newest first, for its DPO. */
  async requests(actor: Actor, args: PageArgs): Promise<Connection<DataSubjectRequestView>> {
    const org = await this.abilities.organisationFor(
      actor,
      'read',
      'DataProtection',
      "Only the organisation's data protection officer reads its data subjects' requests",
    );
    const after = args.after ? decodeCursor(args.after, 2) : null;
    const rows: DataSubjectRequestView[] = await (
      await this.db.em()
    ).query(
      `SELECT r.id, r.kind, r.subject_user_id AS "subjectUserId", u.display_name AS "subjectName",
              r.handled_by AS "handledBy", r.received_at AS "receivedAt", r.outcome
         FROM data_subject_requests r LEFT JOIN users u ON u.id = r.subject_user_id
        WHERE r.organisation_id = $1
          AND ($2::timestamptz IS NULL OR (r.received_at, r.id) < ($2::timestamptz, $3::uuid))
        ORDER BY r.received_at DESC, r.id DESC LIMIT $4`,
      [org, after?.[0] ?? null, after?.[1] ?? null, args.first + 1],
    );
    await this.audit.record({
      action: 'listDataSubjectRequests',
      objectType: 'DataSubjectRequest',
      subjectOrganisationId: org,
    });
    return toConnection(rows, args.first, (r) => [new Date(r.receivedAt).toISOString(), r.id]);
  }

  private async recordRequest(
    actor: Actor,
    kind: DataSubjectRequestKind,
    subjectUserId: string | null,
    outcome: Record<string, unknown>,
  ): Promise<void> {
    await (
      await this.db.em()
    ).query(
      `INSERT INTO data_subject_requests (organisation_id, kind, subject_user_id, handled_by, outcome)
       VALUES ($1, $2, $3, $4, $5)`,
      [actor.organisationId, kind, subjectUserId, actor.userId, outcome],
    );
  }
}
