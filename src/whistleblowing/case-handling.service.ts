import { Injectable, Logger } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../auth/actor';
import { badInput, conflict, forbidden, notFound } from '../common/errors';
import { Connection, decodeCursor, toConnection } from '../common/pagination';
import { DatabaseService } from '../database/database.service';
import { AbilityFactory } from '../sharing/ability.factory';
import { canOn } from '../sharing/ability-sql';
import { KeyPair, keyPair, lock, newRecoveryKey, openSealed, parseRecoveryKey, sealTo, unlock } from './case-crypto';
import { CaseKeyringService } from './case-keyring.service';
import { CASE_HANDLER_ROLES, CaseStatus, MessageAuthor, ReportCategory } from './case-enums';
import { addMessage, loadCase } from './case.repository';

export interface CaseSummary {
  id: string;
  organisationId: string;
  category: ReportCategory;
  status: CaseStatus;
  receivedOn: string;
  updatedOn: string;
}

export interface IntakeSettings {
  accepting: boolean;
  retentionDays: number;
  /** Shown once, when the organisation's case key pair is created. */
  recoveryKey: string | null;
  handlerUserIds: string[];
}

/**
 * The organisation's side of whistleblowing: opting in (which creates its case key pair), designating
 * case handlers, and the handlers' work on cases. Reading a case needs the organisation key, which
 * only a designated handler's unlocked session holds; every read is audited.
 */
@Injectable()
export class CaseHandlingService {
  private readonly logger = new Logger(CaseHandlingService.name);

  constructor(
    private readonly db: DatabaseService,
    private readonly abilities: AbilityFactory,
    private readonly keyring: CaseKeyringService,
    private readonly audit: AuditService,
  ) {}

  async settings(actor: Actor, recoveryKey: string | null = null): Promise<IntakeSettings> {
    const org = await this.adminOrganisation(actor);
    const em = await this.db.em();
    const [o] = await em.query(
      `SELECT accepts_whistleblower_reports, whistleblower_retention_days FROM organisations WHERE id = $1`,
      [org],
    );
    const handlers: { user_id: string }[] = await em.query(
      `SELECT user_id FROM case_handlers WHERE organisation_id = $1 ORDER BY user_id`,
      [org],
    );
    return {
      accepting: o.accepts_whistleblower_reports,
      retentionDays: o.whistleblower_retention_days,
      recoveryKey,
      handlerUserIds: handlers.map((h) => h.user_id),
    };
  }

  /**
   * Opens or closes intake. The first opening creates the organisation's key pair, makes the admin its
   * first handler and returns the recovery key, once.
   */
  async acceptReports(actor: Actor, accept: boolean, retentionDays?: number): Promise<IntakeSettings> {
    const org = await this.adminOrganisation(actor);
    const em = await this.db.em();
    const [{ case_public_key }] = await em.query(`SELECT case_public_key FROM organisations WHERE id = $1 FOR UPDATE`, [
      org,
    ]);
    let recoveryKey: string | null = null;
    if (accept && !case_public_key) {
      const admin = this.keyring.userPair(actor);
      const pair = keyPair();
      const recovery = newRecoveryKey();
      await em.query(`INSERT INTO case_keys (organisation_id, recovery_wrapped_key) VALUES ($1, $2)`, [
        org,
        lock(pair.privateKey, recovery.key),
      ]);
      await em.query(`UPDATE organisations SET case_public_key = $2 WHERE id = $1`, [org, Buffer.from(pair.publicKey)]);
      await em.query(`INSERT INTO case_handlers (organisation_id, user_id, wrapped_key) VALUES ($1, $2, $3)`, [
        org,
        actor.userId,
        sealTo(pair.privateKey, admin.publicKey),
      ]);
      recoveryKey = recovery.text;
    }
    await em.query(
      `UPDATE organisations SET accepts_whistleblower_reports = $2, whistleblower_retention_days = coalesce($3, whistleblower_retention_days) WHERE id = $1`,
      [org, accept, retentionDays ?? null],
    );
    return this.settings(actor, recoveryKey);
  }

  /**
   * Adds or removes a case handler among the organisation's analysts and admins. Adding seals the
   * organisation key to the member's own key, so it needs the key: the admin's handler session, or the
   * recovery key.
   */
  async setHandler(actor: Actor, userId: string, handler: boolean, recoveryKey?: string): Promise<IntakeSettings> {
    const org = await this.adminOrganisation(actor);
    const em = await this.db.em();
    const [membership] = await em.query(`SELECT role FROM memberships WHERE organisation_id = $1 AND user_id = $2`, [
      org,
      userId,
    ]);
    if (!membership) throw notFound('Member');
    if (!handler) {
      await em.query(`DELETE FROM case_handlers WHERE organisation_id = $1 AND user_id = $2`, [org, userId]);
      return this.settings(actor);
    }
    if (!CASE_HANDLER_ROLES.includes(membership.role)) throw badInput('Case handlers are analysts or admins', 'userId');
    const [target] = await em.query(`SELECT public_key FROM user_case_keys WHERE user_id = $1`, [userId]);
    if (!target) throw conflict('This member has no case key yet: they must log in once with their password');
    const pair = await this.organisationKeyFor(actor, org, recoveryKey);
    await em.query(
      `INSERT INTO case_handlers (organisation_id, user_id, wrapped_key) VALUES ($1, $2, $3)
       ON CONFLICT (organisation_id, user_id) DO UPDATE SET wrapped_key = EXCLUDED.wrapped_key`,
      [org, userId, sealTo(pair.privateKey, target.public_key)],
    );
    return this.settings(actor);
  }

  async list(actor: Actor, first: number, after?: string, status?: CaseStatus): Promise<Connection<CaseSummary>> {
    await this.handlerPair(actor, 'list');
    const params: unknown[] = [actor.organisationId, first + 1];
    let where = 'organisation_id = $1';
    if (status) where += ` AND status = $${params.push(status)}`;
    if (after) {
      const [on, id] = decodeCursor(after, 2);
      where += ` AND (received_on, id) < ($${params.push(on)}::date, $${params.push(id)}::uuid)`;
    }
    const rows: CaseSummary[] = (
      await (
        await this.db.em()
      ).query(
        `SELECT ${SUMMARY} FROM whistleblower_cases WHERE ${where} ORDER BY received_on DESC, id DESC LIMIT $2`,
        params,
      )
    ).map(toSummary);
    if (rows.length)
      await this.audit.record({
        action: 'listWhistleblowerCases',
        objectType: 'WhistleblowerCase',
        details: { caseIds: rows.slice(0, first).map((r) => r.id) },
      });
    return toConnection(rows, first, (r) => [r.receivedOn, r.id]);
  }

  /** A case opened for a handler; the read is audited. */
  async read(actor: Actor, caseId: string) {
    const { reportKey, summary } = await this.open(actor, caseId);
    await this.audit.record({ action: 'readWhistleblowerCase', objectType: 'WhistleblowerCase', objectId: caseId });
    return { ...summary, ...(await loadCase(this.db, caseId, reportKey)) };
  }

  async attachment(
    actor: Actor,
    caseId: string,
    attachmentId: string,
  ): Promise<{ filename: string; contentType: string; content: Buffer }> {
    const { reportKey } = await this.open(actor, caseId);
    const [row] = await (
      await this.db.em()
    ).query(`SELECT meta, content FROM whistleblower_attachments WHERE id = $1 AND case_id = $2`, [
      attachmentId,
      caseId,
    ]);
    if (!row) throw notFound('Attachment');
    await this.audit.record({
      action: 'readWhistleblowerAttachment',
      objectType: 'WhistleblowerCase',
      objectId: caseId,
      details: { attachmentId },
    });
    const meta = JSON.parse(Buffer.from(unlock(row.meta, reportKey)).toString('utf8'));
    return {
      filename: meta.filename,
      contentType: meta.contentType,
      content: Buffer.from(unlock(row.content, reportKey)),
    };
  }

  async reply(actor: Actor, caseId: string, body: string): Promise<CaseSummary> {
    const { reportKey } = await this.open(actor, caseId);
    const text = body.trim();
    if (!text) throw badInput('Write something first', 'body');
    await addMessage(this.db, caseId, MessageAuthor.HANDLER, actor.userId, lock(text, reportKey));
    return this.summary(caseId);
  }

  async setStatus(actor: Actor, caseId: string, status: CaseStatus, note?: string): Promise<CaseSummary> {
    const { reportKey, summary } = await this.open(actor, caseId);
    if (status === CaseStatus.REFERRED) throw badInput('Refer a case with referCase', 'status');
    if (summary.status === status) return summary;
    await (
      await this.db.em()
    ).query(
      `UPDATE whistleblower_cases SET status = $2, updated_on = current_date,
              closed_on = CASE WHEN $2 = 'CLOSED' THEN current_date END WHERE id = $1`,
      [caseId, status],
    );
    const line = `Status ${summary.status} -> ${status}${note?.trim() ? `: ${note.trim()}` : ''}`;
    await addMessage(this.db, caseId, MessageAuthor.NOTE, actor.userId, lock(line, reportKey));
    return this.summary(caseId);
  }

  /** Passes the case to another organisation that accepts reports: its key is resealed to them, and this one loses it. */
  async refer(actor: Actor, caseId: string, organisationId: string): Promise<CaseSummary> {
    const { reportKey, summary } = await this.open(actor, caseId);
    const em = await this.db.em();
    const [target] = await em.query(
      `SELECT case_public_key FROM organisations WHERE id = $1 AND accepts_whistleblower_reports AND status = 'ACTIVE' AND case_public_key IS NOT NULL`,
      [organisationId],
    );
    if (!target || organisationId === actor.organisationId)
      throw badInput('Refer to another organisation that accepts reports', 'organisationId');
    await addMessage(
      this.db,
      caseId,
      MessageAuthor.NOTE,
      actor.userId,
      lock(`Referred by ${actor.organisationId} to ${organisationId}`, reportKey),
    );
    // The moved row is no longer this organisation's: for the rest of the request, act for this case only.
    await this.db.actAs({ userId: actor.userId, organisationId: actor.organisationId, isPlatformAdmin: false, caseId });
    await em.query(
      `UPDATE whistleblower_cases SET organisation_id = $2, key_for_org = $3, status = 'REFERRED', updated_on = current_date, closed_on = NULL
        WHERE id = $1`,
      [caseId, organisationId, sealTo(reportKey, target.case_public_key)],
    );
    // The case is no longer this organisation's to read: describe it from what was just written.
    return { ...summary, organisationId, status: CaseStatus.REFERRED };
  }

  /** Closed cases past their organisation's retention period, with their messages and files. */
  async purgeClosed(): Promise<{ organisation_id: string; cases: number; messages: number; attachments: number }[]> {
    const purged = await this.db.withRequest({}, async () =>
      (await this.db.em()).query(`SELECT * FROM whistleblower_purge_closed()`),
    );
    for (const p of purged) {
      this.logger.log(
        `retention: purged ${p.cases} closed case(s), ${p.messages} message(s), ${p.attachments} attachment(s) of organisation ${p.organisation_id}`,
      );
      await this.db.autonomous((em) =>
        this.audit.record(
          {
            action: 'purgeWhistleblowerCases',
            objectType: 'WhistleblowerCase',
            subjectOrganisationId: p.organisation_id,
            actor: { userId: null, organisationId: null },
            details: { cases: p.cases, messages: p.messages, attachments: p.attachments },
          },
          em,
        ),
      );
    }
    return purged;
  }

  /** The case for a designated handler of its organisation, with its report key; NOT_FOUND for anyone else. */
  private async open(actor: Actor, caseId: string): Promise<{ reportKey: Uint8Array; summary: CaseSummary }> {
    const pair = await this.handlerPair(actor, 'read');
    const [row] = await (
      await this.db.em()
    ).query(`SELECT ${SUMMARY}, key_for_org FROM whistleblower_cases WHERE id = $1`, [caseId]);
    if (!row || row.organisation_id !== actor.organisationId) throw notFound('Case');
    return { reportKey: openSealed(row.key_for_org, pair), summary: toSummary(row) };
  }

  /** The organisation key of a designated handler, or (list: FORBIDDEN, read: NOT_FOUND) for anyone else. */
  private async handlerPair(actor: Actor, use: 'list' | 'read'): Promise<KeyPair> {
    const org = actor.organisationId;
    const allowed =
      org && canOn(await this.abilities.abilityFor(actor), 'handle', 'WhistleblowerCase', { organisationId: org });
    const pair = allowed ? await this.keyring.organisationPair(actor) : null;
    if (!pair)
      throw use === 'list' ? forbidden('Only the case handlers of an organisation read its cases') : notFound('Case');
    return pair;
  }

  private async organisationKeyFor(actor: Actor, org: string, recoveryKey?: string): Promise<KeyPair> {
    if (recoveryKey) {
      const key = parseRecoveryKey(recoveryKey);
      const em = await this.db.em();
      const [row] = await em.query(
        `SELECT k.recovery_wrapped_key, o.case_public_key FROM case_keys k JOIN organisations o ON o.id = k.organisation_id WHERE k.organisation_id = $1`,
        [org],
      );
      if (!key || !row) throw badInput('This is not the recovery key of your organisation', 'recoveryKey');
      try {
        return { publicKey: row.case_public_key, privateKey: unlock(row.recovery_wrapped_key, key) };
      } catch {
        throw badInput('This is not the recovery key of your organisation', 'recoveryKey');
      }
    }
    const pair = await this.keyring.organisationPair(actor).catch(() => null);
    if (!pair) throw caseKeysLockedOrNotHandler();
    return pair;
  }

  private async adminOrganisation(actor: Actor): Promise<string> {
    const org = actor.organisationId;
    if (
      !org ||
      !canOn(await this.abilities.abilityFor(actor), 'update', 'WhistleblowerIntake', { organisationId: org })
    ) {
      throw forbidden('Only organisation admins manage whistleblower intake');
    }
    return org;
  }

  private async summary(caseId: string): Promise<CaseSummary> {
    const [r] = await (await this.db.em()).query(`SELECT ${SUMMARY} FROM whistleblower_cases WHERE id = $1`, [caseId]);
    return toSummary(r);
  }
}

const SUMMARY = 'id, organisation_id, category, status, received_on::text, updated_on::text';

const toSummary = (r: Record<string, string>): CaseSummary => ({
  id: r.id,
  organisationId: r.organisation_id,
  category: r.category as ReportCategory,
  status: r.status as CaseStatus,
  receivedOn: r.received_on,
  updatedOn: r.updated_on,
});

const caseKeysLockedOrNotHandler = () =>
  forbidden(
    'Adding a handler needs the organisation key: act as one of its case handlers (logged in with your password) or give the recovery key',
  );
