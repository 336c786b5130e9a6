import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import type { Actor } from '../common/actor';
import { badInput, conflict, forbidden, notFound } from '../common/errors';
import { Connection } from '../common/pagination';
import { DatabaseService } from '../database/database.service';
import { AbilityFactory } from '../sharing/ability.factory';
import { canOn } from '../sharing/ability-sql';
import { KeyPair, keyPair, lock, newRecoveryKey, openSealed, parseRecoveryKey, sealTo, unlock } from './case-crypto';
import { CaseKeyringService } from './case-keyring.service';
import { CASE_HANDLER_ROLES, CaseStatus, MessageAuthor } from './case-enums';
import { CaseRepository, CaseSummary, openReport } from './case.repository';
import { CaseAttention, caseAttention, purgeOn } from './case-deadlines';
import { Bulletin } from '../bulletins/bulletin.entity';
import { Certainty, Severity, Urgency } from '../bulletins/bulletin-enums';
import { BulletinCategory } from '../common/categories';
import { BulletinsService } from '../bulletins/bulletins.service';
import { BulletinInput } from '../bulletins/dto/bulletin.inputs';
import { Tlp } from '../common/tlp';

/** A case as handlers see it in lists: its Directive deadlines weighed, its purge day named. */
export type DatedCase<T extends CaseSummary = CaseSummary> = T & {
  attention: CaseAttention | null;
  purgeOn: string | null;
};

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
  constructor(
    private readonly db: DatabaseService,
    private readonly cases: CaseRepository,
    private readonly abilities: AbilityFactory,
    private readonly keyring: CaseKeyringService,
    private readonly audit: AuditService,
    private readonly bulletins: BulletinsService,
  ) {}

  async settings(actor: Actor, recoveryKey: string | null = null): Promise<IntakeSettings> {
    const org = await this.adminOrganisation(actor);
    return { ...(await this.cases.intake(org)), recoveryKey, handlerUserIds: await this.cases.handlerIds(org) };
  }

  /**
   * Opens or closes intake. The first opening creates the organisation's key pair, makes the admin its
   * first handler and returns the recovery key, once.
   */
  async acceptReports(actor: Actor, accept: boolean, retentionDays?: number): Promise<IntakeSettings> {
    const org = await this.adminOrganisation(actor);
    let recoveryKey: string | null = null;
    if (accept && !(await this.cases.lockedPublicKey(org))) {
      const admin = await this.keyring.userPair(actor);
      const pair = keyPair();
      const recovery = newRecoveryKey();
      await this.cases.createOrganisationKey(org, Buffer.from(pair.publicKey), lock(pair.privateKey, recovery.key));
      await this.cases.setHandler(org, actor.userId, sealTo(pair.privateKey, admin.publicKey));
      recoveryKey = recovery.text;
    }
    await this.cases.setIntake(org, accept, retentionDays ?? null);
    return this.settings(actor, recoveryKey);
  }

  /**
   * Adds or removes a case handler among the organisation's analysts and admins. Adding seals the
   * organisation key to the member's own key, so it needs the key: the admin's handler session, or the
   * recovery key.
   */
  async setHandler(actor: Actor, userId: string, handler: boolean, recoveryKey?: string): Promise<IntakeSettings> {
    const org = await this.adminOrganisation(actor);
    const role = await this.cases.memberRole(org, userId);
    if (!role) throw notFound('Member');
    if (!handler) {
      await this.cases.removeHandler(org, userId);
      return this.settings(actor);
    }
    if (!CASE_HANDLER_ROLES.includes(role)) throw badInput('Case handlers are analysts or admins', 'userId');
    const target = await this.cases.userKey(userId);
    if (!target) throw conflict('This member has no case key yet: they must log in once with their password');
    const pair = await this.organisationKeyFor(actor, org, recoveryKey);
    await this.cases.setHandler(org, userId, sealTo(pair.privateKey, target.publicKey));
    return this.settings(actor);
  }

  async list(actor: Actor, first: number, after?: string, status?: CaseStatus): Promise<Connection<DatedCase>> {
    const pair = await this.handlerPair(actor, 'list');
    const page = await this.cases.page(actor.organisationId!, first, after, status);
    if (page.edges.length)
      await this.audit.record({
        action: 'listWhistleblowerCases',
        objectType: 'WhistleblowerCase',
        details: { caseIds: page.edges.map((e) => e.node.id) },
      });
    const dated = await this.dated(
      actor,
      page.edges.map((e) => e.node),
    );
    const excerpts = await this.excerpts(
      pair,
      page.edges.map((e) => e.node.id),
    );
    return {
      ...page,
      edges: page.edges.map((e, i) => ({ ...e, node: { ...dated[i], excerpt: excerpts.get(e.node.id) } })),
    };
  }

  /** Each report's first 140 characters, whitespace folded: enough to tell three reports of a day apart. */
  private async excerpts(pair: KeyPair, caseIds: string[]): Promise<Map<string, string>> {
    const rows = caseIds.length ? await this.cases.sealedReports(caseIds) : [];
    return new Map(
      rows.map((r) => {
        const words = [...openReport(r.content, openSealed(r.keyForOrg, pair)).replace(/\s+/g, ' ').trim()];
        return [r.id, words.length > 140 ? `${words.slice(0, 139).join('')}…` : words.join('')];
      }),
    );
  }

  /** A case opened for a handler; the read is audited. */
  async read(actor: Actor, caseId: string) {
    const { reportKey, summary } = await this.open(actor, caseId);
    await this.audit.record({ action: 'readWhistleblowerCase', objectType: 'WhistleblowerCase', objectId: caseId });
    const [dated] = await this.dated(actor, [summary]);
    return { ...dated, ...(await this.cases.load(caseId, reportKey)) };
  }

  async attachment(
    actor: Actor,
    caseId: string,
    attachmentId: string,
  ): Promise<{ filename: string; contentType: string; content: Buffer }> {
    const { reportKey } = await this.open(actor, caseId);
    const row = await this.cases.attachment(caseId, attachmentId);
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

  async reply(actor: Actor, caseId: string, body: string, feedback: boolean): Promise<DatedCase> {
    const { reportKey, summary } = await this.open(actor, caseId);
    const text = body.trim();
    if (!text) throw badInput('Write something first', 'body');
    await this.cases.addMessage(caseId, MessageAuthor.HANDLER, actor.userId, lock(text, reportKey), feedback);
    // An answer to a new report acknowledges it: the reporter reads that it is being reviewed.
    if (summary.status === CaseStatus.NEW)
      await this.changeStatus(actor, caseId, reportKey, summary.status, CaseStatus.IN_REVIEW, 'answered the reporter');
    return this.summary(actor, caseId);
  }

  async setStatus(actor: Actor, caseId: string, status: CaseStatus, note?: string): Promise<DatedCase> {
    const { reportKey, summary } = await this.open(actor, caseId);
    if (status === CaseStatus.REFERRED) throw badInput('Refer a case with referCase', 'status');
    if (summary.status !== status) await this.changeStatus(actor, caseId, reportKey, summary.status, status, note);
    return this.summary(actor, caseId);
  }

  /** The new status, and a handlers' note saying who changed it from what and why. */
  private async changeStatus(
    actor: Actor,
    caseId: string,
    reportKey: Uint8Array,
    from: CaseStatus,
    to: CaseStatus,
    note?: string,
  ): Promise<void> {
    await this.cases.setStatus(caseId, to);
    const line = `Status ${from} -> ${to}${note?.trim() ? `: ${note.trim()}` : ''}`;
    await this.cases.addMessage(caseId, MessageAuthor.NOTE, actor.userId, lock(line, reportKey));
  }

  /** Passes the case to another organisation that accepts reports: its key is resealed to them, and this one loses it. */
  async refer(actor: Actor, caseId: string, organisationId: string): Promise<DatedCase> {
    const { reportKey, summary } = await this.open(actor, caseId);
    const target = await this.cases.recipientKey(organisationId);
    if (!target || organisationId === actor.organisationId)
      throw badInput('Refer to another organisation that accepts reports', 'organisationId');
    await this.cases.addMessage(
      caseId,
      MessageAuthor.NOTE,
      actor.userId,
      lock(`Referred by ${actor.organisationId} to ${organisationId}`, reportKey),
    );
    // The moved row is no longer this organisation's: for the rest of the request, act for this case only.
    await this.db.actAs({ userId: actor.userId, organisationId: actor.organisationId, isPlatformAdmin: false, caseId });
    await this.cases.moveTo(caseId, organisationId, sealTo(reportKey, target));
    // The case is no longer this organisation's to read: describe it from what was just written.
    const [dated] = await this.dated(actor, [{ ...summary, organisationId, status: CaseStatus.REFERRED }]);
    return dated;
  }

  /**
   * From report to alert: a draft bulletin of the handler's organisation, marked AMBER+STRICT, that
   * carries nothing of the case (the handler writes the alert). The link between them is kept where
   * only the case's organisation reads it, and the case notes it for handlers; the reporter sees neither.
   */
  async draftBulletin(actor: Actor, caseId: string): Promise<Bulletin> {
    const { reportKey } = await this.open(actor, caseId);
    const draft = await this.bulletins.create(actor, Object.assign(new BulletinInput(), CASE_DRAFT));
    await this.cases.linkBulletin(caseId, draft.id, actor.organisationId!, actor.userId);
    await this.cases.addMessage(
      caseId,
      MessageAuthor.NOTE,
      actor.userId,
      lock(`A draft bulletin was started from this case (${draft.id})`, reportKey),
    );
    return draft;
  }

  /** The bulletins drafted from a case, for its organisation (row-level security keeps the link there). */
  bulletinsFrom(caseId: string): Promise<string[]> {
    return this.cases.linkedBulletins(caseId);
  }

  /** The case a bulletin was drafted from, for that organisation's designated case handlers only. */
  async caseOf(actor: Actor, bulletinId: string): Promise<string | null> {
    const org = actor.organisationId;
    if (
      !org ||
      !canOn(await this.abilities.abilityFor(actor), 'handle', 'WhistleblowerCase', { organisationId: org }) ||
      !(await this.cases.handlerIds(org)).includes(actor.userId)
    )
      return null;
    return this.cases.caseOfBulletin(bulletinId);
  }

  /** Closed cases past their organisation's retention period, with their messages and files. */
  async purgeClosed(): Promise<{ organisation_id: string; cases: number; messages: number; attachments: number }[]> {
    const purged = await this.db.withRequest({}, () => this.cases.purgeClosed());
    return this.audit.recordPurged('purgeWhistleblowerCases', 'WhistleblowerCase', purged);
  }

  /** The case for a designated handler of its organisation, with its report key; NOT_FOUND for anyone else. */
  private async open(actor: Actor, caseId: string): Promise<{ reportKey: Uint8Array; summary: CaseSummary }> {
    const pair = await this.handlerPair(actor, 'read');
    const row = await this.cases.sealedForOrganisation(caseId);
    if (!row || row.organisationId !== actor.organisationId) throw notFound('Case');
    const { keyForOrg, ...summary } = row;
    return { reportKey: openSealed(keyForOrg, pair), summary };
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
      const row = await this.cases.recoveryKeys(org);
      if (!key || !row) throw badInput('This is not the recovery key of your organisation', 'recoveryKey');
      try {
        return { publicKey: row.publicKey, privateKey: unlock(row.recoveryWrappedKey, key) };
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

  private async summary(actor: Actor, caseId: string): Promise<DatedCase> {
    const [dated] = await this.dated(actor, [(await this.cases.summary(caseId))!]);
    return dated;
  }

  private async dated<T extends CaseSummary>(actor: Actor, cases: T[]): Promise<DatedCase<T>[]> {
    if (!cases.length) return [];
    const { retentionDays } = await this.cases.intake(actor.organisationId!);
    return cases.map((c) => ({ ...c, attention: caseAttention(c), purgeOn: purgeOn(c.closedOn, retentionDays) }));
  }
}

/**
 * A draft started from a case: placeholders the handler replaces, nothing taken from the report, and
 * nothing that tells the organisation's other members (who read its drafts) that a report came in.
 */
const CASE_DRAFT: Partial<BulletinInput> = {
  title: 'Untitled draft',
  summary: 'Write the alert here.',
  body: '',
  category: BulletinCategory.CORRUPTION_ATTEMPT,
  severity: Severity.MODERATE,
  urgency: Urgency.UNKNOWN,
  certainty: Certainty.UNKNOWN,
  tlp: Tlp.AMBER_STRICT,
};

const caseKeysLockedOrNotHandler = () =>
  forbidden(
    'Adding a handler needs the organisation key: act as one of its case handlers (logged in with your password) or give the recovery key',
  );
