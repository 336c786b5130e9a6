import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { In, Not } from 'typeorm';
import { Connection, decodeCursor, toConnection } from '../common/pagination';
import { DatabaseService } from '../database/database.service';
import { MemberRole } from '../common/organisation-type';
import { lock, unlockText } from './case-crypto';
import { CaseAttachment } from './case-attachment.entity';
import { CaseStatus, MessageAuthor, ReportCategory } from './case-enums';
import { CaseHandler } from './case-handler.entity';
import { CaseKey } from './case-key.entity';
import { CaseMessage } from './case-message.entity';
import { UserCaseKey } from './user-case-key.entity';
import { WhistleblowerCaseRecord } from './whistleblower-case.entity';
import type { AttachmentInfo } from './report-intake.service';
import type { CaseDates } from './case-deadlines';

export interface CaseSummary extends CaseDates {
  id: string;
  organisationId: string;
  category: ReportCategory;
  receivedOn: string;
  updatedOn: string;
  closedOn: string | null;
}

/** What a new case is stored as: everything sealed or keyed by the caller. */
export type NewCase = Pick<
  WhistleblowerCaseRecord,
  | 'id'
  | 'organisationId'
  | 'category'
  | 'receiptLookup'
  | 'receiptLookupKey'
  | 'receiptSalt'
  | 'receiptVerifier'
  | 'keyForOrg'
  | 'keyForReporter'
  | 'content'
>;

const SUMMARY = {
  id: true,
  reference: true,
  organisationId: true,
  category: true,
  status: true,
  receivedOn: true,
  updatedOn: true,
  closedOn: true,
  acknowledgedOn: true,
  feedbackOn: true,
  acknowledgeBy: true,
  feedbackBy: true,
} as const;

/** An organisation that accepts reports, with the public key they are sealed to. */
const ACCEPTING = `accepts_whistleblower_reports AND status = 'ACTIVE' AND case_public_key IS NOT NULL`;

/** A report's text as stored: sealed under its report key, as JSON (room for more than the text). */
export function sealReport(text: string, reportKey: Uint8Array): Buffer {
  return lock(JSON.stringify({ text }), reportKey);
}

/** A report's text, opened with its report key. */
export function openReport(content: Uint8Array, reportKey: Uint8Array): string {
  return (JSON.parse(unlockText(content, reportKey)) as { text: string }).text;
}

/**
 * The whistleblowing tables (cases, messages, attachments, keys, handlers) and the organisations'
 * intake columns, for the reporter's side and the handlers' alike, in the request's transaction:
 * row-level security decides what each side reaches.
 */
@Injectable()
export class CaseRepository {
  constructor(private readonly db: DatabaseService) {}

  /** Organisations that accept reports, for the reporter to choose from (directory data). */
  async recipients(): Promise<{ id: string; name: string }[]> {
    return (await this.db.em()).query(`SELECT id, name FROM organisations WHERE ${ACCEPTING} ORDER BY name`);
  }

  /** The public key reports to `organisationId` are sealed to, if it accepts them. */
  async recipientKey(organisationId: string): Promise<Buffer | undefined> {
    const [row]: { case_public_key: Buffer }[] = await (
      await this.db.em()
    ).query(`SELECT case_public_key FROM organisations WHERE id = $1 AND ${ACCEPTING}`, [organisationId]);
    return row?.case_public_key;
  }

  async intake(organisationId: string): Promise<{ accepting: boolean; retentionDays: number }> {
    const [row]: { accepts_whistleblower_reports: boolean; whistleblower_retention_days: number }[] = await (
      await this.db.em()
    ).query(`SELECT accepts_whistleblower_reports, whistleblower_retention_days FROM organisations WHERE id = $1`, [
      organisationId,
    ]);
    return { accepting: row.accepts_whistleblower_reports, retentionDays: row.whistleblower_retention_days };
  }

  /** The organisation's case public key, its row locked until the transaction ends (one key pair, ever). */
  async lockedPublicKey(organisationId: string): Promise<Buffer | null> {
    const [row]: { case_public_key: Buffer | null }[] = await (
      await this.db.em()
    ).query(`SELECT case_public_key FROM organisations WHERE id = $1 FOR UPDATE`, [organisationId]);
    return row.case_public_key;
  }

  async publicKey(organisationId: string): Promise<Buffer> {
    const [row]: { case_public_key: Buffer }[] = await (
      await this.db.em()
    ).query(`SELECT case_public_key FROM organisations WHERE id = $1`, [organisationId]);
    return row.case_public_key;
  }

  /** The organisation's first key pair: the public half, and the private half boxed under the recovery key. */
  async createOrganisationKey(organisationId: string, publicKey: Buffer, recoveryWrappedKey: Buffer): Promise<void> {
    const em = await this.db.em();
    await em.insert(CaseKey, { organisationId, recoveryWrappedKey });
    await em.query(`UPDATE organisations SET case_public_key = $2 WHERE id = $1`, [organisationId, publicKey]);
  }

  async recoveryKeys(organisationId: string): Promise<{ recoveryWrappedKey: Buffer; publicKey: Buffer } | undefined> {
    const key = await (await this.db.em()).findOneBy(CaseKey, { organisationId });
    return key
      ? { recoveryWrappedKey: key.recoveryWrappedKey, publicKey: await this.publicKey(organisationId) }
      : undefined;
  }

  async setIntake(organisationId: string, accept: boolean, retentionDays: number | null): Promise<void> {
    await (
      await this.db.em()
    ).query(
      `UPDATE organisations SET accepts_whistleblower_reports = $2,
              whistleblower_retention_days = coalesce($3, whistleblower_retention_days) WHERE id = $1`,
      [organisationId, accept, retentionDays],
    );
  }

  async handlerIds(organisationId: string): Promise<string[]> {
    const handlers = await (
      await this.db.em()
    ).find(CaseHandler, {
      select: { userId: true },
      where: { organisationId },
      order: { userId: 'ASC' },
    });
    return handlers.map((h) => h.userId);
  }

  /** The organisation key sealed to this handler's own key; undefined if they are not a handler. */
  async handlerKey(organisationId: string, userId: string): Promise<Buffer | undefined> {
    return (await (await this.db.em()).findOneBy(CaseHandler, { organisationId, userId }))?.wrappedKey;
  }

  async setHandler(organisationId: string, userId: string, wrappedKey: Buffer): Promise<void> {
    await (
      await this.db.em()
    ).upsert(CaseHandler, { organisationId, userId, wrappedKey }, ['organisationId', 'userId']);
  }

  async removeHandler(organisationId: string, userId: string): Promise<void> {
    await (await this.db.em()).delete(CaseHandler, { organisationId, userId });
  }

  async memberRole(organisationId: string, userId: string): Promise<MemberRole | undefined> {
    const [row]: { role: MemberRole }[] = await (
      await this.db.em()
    ).query(`SELECT role FROM memberships WHERE organisation_id = $1 AND user_id = $2`, [organisationId, userId]);
    return row?.role;
  }

  async userKey(userId: string): Promise<UserCaseKey | null> {
    return (await this.db.em()).findOneBy(UserCaseKey, { userId });
  }

  async createUserKey(key: UserCaseKey): Promise<void> {
    await (await this.db.em()).insert(UserCaseKey, key);
  }

  async create(record: NewCase): Promise<void> {
    await (await this.db.em()).insert(WhistleblowerCaseRecord, record);
  }

  /** Cases that may hold this keyed receipt prefix (a SECURITY DEFINER function: the reporter is nobody yet). */
  /** Cases whose receipt lookup is one of `lookups` (one per configured ENCRYPTION_KEY). */
  async receiptCandidates(
    lookups: Buffer[],
  ): Promise<{ id: string; receipt_lookup: Buffer; receipt_salt: Buffer; receipt_verifier: Buffer }[]> {
    return (await this.db.em()).query(
      `SELECT c.*, l AS receipt_lookup FROM unnest($1::bytea[]) l, whistleblower_receipt_candidates(l) c`,
      [lookups],
    );
  }

  /** The case's receipt lookup under the current key, as its reporter has just proven the receipt. */
  async rekeyReceipt(caseId: string, lookup: Buffer, keyId: string): Promise<void> {
    await (
      await this.db.em()
    ).update(WhistleblowerCaseRecord, caseId, { receiptLookup: lookup, receiptLookupKey: keyId });
  }

  async reporterKey(caseId: string): Promise<Buffer> {
    return (await (await this.db.em()).findOneByOrFail(WhistleblowerCaseRecord, { id: caseId })).keyForReporter;
  }

  async summary(caseId: string): Promise<CaseSummary | undefined> {
    return (
      (await (await this.db.em()).findOne(WhistleblowerCaseRecord, { select: SUMMARY, where: { id: caseId } })) ??
      undefined
    );
  }

  /** The case's summary and its report key sealed to the organisation. */
  async sealedForOrganisation(caseId: string): Promise<(CaseSummary & { keyForOrg: Buffer }) | undefined> {
    const row = await (
      await this.db.em()
    ).findOne(WhistleblowerCaseRecord, { select: { ...SUMMARY, keyForOrg: true }, where: { id: caseId } });
    return row ?? undefined;
  }

  /** The organisation's cases, newest received first, keyset-paged. */
  async page(
    organisationId: string,
    first: number,
    after?: string,
    status?: CaseStatus,
  ): Promise<Connection<CaseSummary>> {
    const qb = (await this.db.em())
      .getRepository(WhistleblowerCaseRecord)
      .createQueryBuilder('c')
      .select(Object.keys(SUMMARY).map((k) => `c.${k}`))
      .where('c.organisation_id = :organisationId', { organisationId });
    if (status) qb.andWhere('c.status = :status', { status });
    if (after) {
      const [on, id] = decodeCursor(after, 2);
      qb.andWhere('(c.received_on, c.id) < (:on::date, :id::uuid)', { on, id });
    }
    const rows = await qb
      .orderBy('c.received_on', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .limit(first + 1)
      .getMany();
    return toConnection(rows, first, (r) => [r.receivedOn, r.id]);
  }

  async setStatus(caseId: string, status: CaseStatus): Promise<void> {
    await (
      await this.db.em()
    ).query(
      `UPDATE whistleblower_cases SET status = $2, updated_on = current_date,
              closed_on = CASE WHEN $2 = 'CLOSED' THEN current_date END WHERE id = $1`,
      [caseId, status],
    );
  }

  /** Hands the case to another organisation, its report key sealed to them. */
  async moveTo(caseId: string, organisationId: string, keyForOrg: Buffer): Promise<void> {
    await (
      await this.db.em()
    ).query(
      `UPDATE whistleblower_cases SET organisation_id = $2, key_for_org = $3, status = 'REFERRED',
              updated_on = current_date, closed_on = NULL WHERE id = $1`,
      [caseId, organisationId, keyForOrg],
    );
  }

  /** Closed cases past their organisation's retention period go, with their messages and files (per organisation). */
  async purgeClosed(): Promise<{ organisation_id: string; cases: number; messages: number; attachments: number }[]> {
    return (await this.db.em()).query(`SELECT * FROM whistleblower_purge_closed()`);
  }

  /** The sealed reports of cases and their report keys sealed to the organisation, for the inbox's excerpts. */
  async sealedReports(caseIds: string[]): Promise<{ id: string; keyForOrg: Buffer; content: Buffer }[]> {
    return (await this.db.em()).find(WhistleblowerCaseRecord, {
      select: { id: true, keyForOrg: true, content: true },
      where: { id: In(caseIds) },
    });
  }

  /** A case's content opened with its report key (both sides use it). */
  async load(caseId: string, reportKey: Uint8Array) {
    const em = await this.db.em();
    const row = await em.findOneByOrFail(WhistleblowerCaseRecord, { id: caseId });
    const messages = await em.find(CaseMessage, { where: { caseId }, order: { seq: 'ASC' } });
    const attachments = await em.find(CaseAttachment, {
      select: { id: true, meta: true, addedOn: true },
      where: { caseId },
      order: { addedOn: 'ASC', id: 'ASC' },
    });
    return {
      status: row.status,
      category: row.category,
      receivedOn: row.receivedOn,
      text: openReport(row.content, reportKey),
      messages: messages.map((m) => ({ from: m.author, body: unlockText(m.body, reportKey), at: m.sentOn })),
      attachments: attachments.map((a) => ({
        id: a.id,
        ...(JSON.parse(unlockText(a.meta, reportKey)) as Omit<AttachmentInfo, 'id' | 'addedOn'>),
        addedOn: a.addedOn,
      })),
    };
  }

  /**
   * Appends a message (sealed by the caller) under the case's row lock, so sequence numbers never
   * collide. A handler's first reply acknowledges receipt; one marked `feedback` gives the feedback.
   */
  async addMessage(
    caseId: string,
    author: MessageAuthor,
    userId: string | null,
    body: Buffer,
    feedback = false,
  ): Promise<void> {
    const em = await this.db.em();
    await em.query(`SELECT 1 FROM whistleblower_cases WHERE id = $1 FOR UPDATE`, [caseId]);
    await em.query(
      `INSERT INTO whistleblower_messages (id, case_id, seq, author, author_user_id, body)
       VALUES ($1, $2, (SELECT coalesce(max(seq), 0) + 1 FROM whistleblower_messages WHERE case_id = $2), $3, $4, $5)`,
      [randomUUID(), caseId, author, userId, body],
    );
    await em.query(
      `UPDATE whistleblower_cases SET updated_on = current_date,
              acknowledged_on = CASE WHEN $2 THEN coalesce(acknowledged_on, current_date) ELSE acknowledged_on END,
              feedback_on = CASE WHEN $3 THEN coalesce(feedback_on, current_date) ELSE feedback_on END
        WHERE id = $1`,
      [caseId, author === MessageAuthor.HANDLER, author === MessageAuthor.HANDLER && feedback],
    );
  }

  /** Organisations (active) with cases not closed: the daily reminder looks at each (a SECURITY DEFINER function). */
  async organisationsWithOpenCases(): Promise<string[]> {
    const rows: { org: string }[] = await (
      await this.db.em()
    ).query(`SELECT org FROM whistleblower_open_case_organisations() AS org`);
    return rows.map((r) => r.org);
  }

  /** The organisation's cases not closed, their dates only (as the organisation, under row-level security). */
  async openCaseDates(organisationId: string): Promise<CaseDates[]> {
    return (await this.db.em()).find(WhistleblowerCaseRecord, {
      select: { status: true, acknowledgeBy: true, acknowledgedOn: true, feedbackBy: true, feedbackOn: true },
      where: { organisationId, status: Not(CaseStatus.CLOSED) },
    });
  }

  /** Claims the organisation's reminder of `day`; false if it was sent already. */
  async claimReminder(organisationId: string, day: string, cases: number): Promise<boolean> {
    const rows: unknown[] = await (
      await this.db.em()
    ).query(
      `INSERT INTO case_reminders (organisation_id, day, cases) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING RETURNING day`,
      [organisationId, day, cases],
    );
    return rows.length > 0;
  }

  /** The organisation's designated case handlers who can still act: active accounts, still members. */
  async handlerEmails(organisationId: string): Promise<string[]> {
    const rows: { email: string }[] = await (
      await this.db.em()
    ).query(
      `SELECT u.email FROM case_handlers h
         JOIN memberships m ON m.user_id = h.user_id AND m.organisation_id = h.organisation_id
         JOIN users u ON u.id = h.user_id
        WHERE h.organisation_id = $1 AND u.status = 'ACTIVE' ORDER BY u.email`,
      [organisationId],
    );
    return rows.map((r) => r.email);
  }

  async addAttachment(caseId: string, meta: Buffer, content: Buffer): Promise<void> {
    await (await this.db.em()).insert(CaseAttachment, { id: randomUUID(), caseId, meta, content });
  }

  async attachment(caseId: string, id: string): Promise<{ meta: Buffer; content: Buffer } | null> {
    return (await this.db.em()).findOne(CaseAttachment, {
      select: { meta: true, content: true },
      where: { id, caseId },
    });
  }

  async linkBulletin(caseId: string, bulletinId: string, organisationId: string, userId: string): Promise<void> {
    await (
      await this.db.em()
    ).query(
      `INSERT INTO case_bulletins (case_id, bulletin_id, organisation_id, created_by, created_at) VALUES ($1, $2, $3, $4, now())`,
      [caseId, bulletinId, organisationId, userId],
    );
  }

  async linkedBulletins(caseId: string): Promise<string[]> {
    const rows: { bulletin_id: string }[] = await (
      await this.db.em()
    ).query(`SELECT bulletin_id FROM case_bulletins WHERE case_id = $1 ORDER BY created_at`, [caseId]);
    return rows.map((r) => r.bulletin_id);
  }

  async caseOfBulletin(bulletinId: string): Promise<string | null> {
    const [row]: { case_id: string }[] = await (
      await this.db.em()
    ).query(`SELECT case_id FROM case_bulletins WHERE bulletin_id = $1`, [bulletinId]);
    return row?.case_id ?? null;
  }
}
