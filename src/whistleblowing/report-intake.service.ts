import { Inject, Injectable } from '@nestjs/common';
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { AppError, badInput, ErrorCode } from '../common/errors';
import { keyIdOf } from '../common/secret-box';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DatabaseService } from '../database/database.service';
import {
  deriveKey,
  lock,
  newReceipt,
  newSecretKey,
  normaliseReceipt,
  randomSalt,
  sealTo,
  subkey,
  unlock,
} from './case-crypto';
import {
  CaseStatus,
  MAX_ATTACHMENT_BYTES,
  MAX_ATTACHMENTS,
  MAX_TEXT,
  MessageAuthor,
  ReportCategory,
} from './case-enums';
import { CaseRepository, sealReport } from './case.repository';
import { IntakeGuardService } from './intake-guard.service';

export interface Upload {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface CaseMessage {
  from: MessageAuthor;
  body: string;
  at: string;
}

export interface AttachmentInfo {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  addedOn: string;
}

export interface ReporterCase {
  status: CaseStatus;
  category: ReportCategory;
  receivedOn: string;
  text: string;
  messages: CaseMessage[];
  attachments: AttachmentInfo[];
}

const RECEIPT_DIGITS = 28;
/** Bytes of the keyed receipt prefix kept for lookup: enough to find a case, too few to test receipts offline. */
const LOOKUP_BYTES = 4;
/** A receipt that matches no case still costs one derivation, so misses and hits take the same time. */
const DUMMY_SALT = Buffer.alloc(16);

const noSuchReceipt = () => new AppError(ErrorCode.NOT_FOUND, 'No report matches this receipt');

/**
 * The reporter's side, without an account: submitting a report, reading the case and answering with
 * the receipt. Nothing about the reporter is stored: no address, no agent, dates only. A proven
 * receipt makes the request's transaction act as that one case for row-level security.
 */
@Injectable()
export class ReportIntakeService {
  /** Under the current ENCRYPTION_KEY first, then those a rotation replaced. */
  private readonly lookupKeys: Buffer[];
  private readonly lookupKeyId: string;

  constructor(
    private readonly db: DatabaseService,
    private readonly cases: CaseRepository,
    private readonly guard: IntakeGuardService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.lookupKeys = config.encryptionKeys.map((k) => subkey(k, 'harbourwatch receipt lookup'));
    this.lookupKeyId = keyIdOf(config.encryptionKey, 'sealing');
  }

  /** Organisations that accept reports, for the reporter to choose from (directory data). */
  recipients(): Promise<{ id: string; name: string }[]> {
    return this.cases.recipients();
  }

  /**
   * Stores the report encrypted and returns the receipt, which exists nowhere else afterwards. The
   * caller has spent a SUBMIT challenge (IntakeGuardService).
   */
  async submit(
    input: { recipientOrganisationId: string; category: ReportCategory; text: string },
    uploads: Upload[] = [],
  ): Promise<string> {
    const text = checkText(input.text, 'text');
    checkUploads(uploads);
    const recipient = await this.cases.recipientKey(input.recipientOrganisationId);
    if (!recipient)
      throw badInput('This organisation does not accept reports: choose one from the list', 'recipientOrganisationId');

    const receipt = newReceipt();
    const digits = normaliseReceipt(receipt);
    const salt = randomSalt();
    const derived = await deriveKey(digits, salt, 64);
    const reportKey = newSecretKey();
    const id = randomUUID();
    await this.db.actAs({ userId: null, organisationId: null, isPlatformAdmin: false, caseId: id });
    await this.cases.create({
      id,
      organisationId: input.recipientOrganisationId,
      category: input.category,
      receiptLookup: this.lookup(this.lookupKeys[0], digits),
      receiptLookupKey: this.lookupKeyId,
      receiptSalt: salt,
      receiptVerifier: derived.subarray(0, 32),
      keyForOrg: sealTo(reportKey, recipient),
      keyForReporter: lock(reportKey, derived.subarray(32)),
      content: sealReport(text, reportKey),
    });
    await this.storeUploads(id, reportKey, uploads);
    await this.guard.submitted();
    return receipt;
  }

  /** The caller has spent a FOLLOW_UP challenge (IntakeGuardService), as for `reply`. */
  async view(receipt: string): Promise<ReporterCase> {
    const { caseId, reportKey } = await this.open(receipt);
    return this.caseFor(caseId, reportKey);
  }

  async reply(receipt: string, body: string, uploads: Upload[] = []): Promise<ReporterCase> {
    const text = checkText(body, 'body');
    checkUploads(uploads);
    const { caseId, reportKey } = await this.open(receipt);
    await this.cases.addMessage(caseId, MessageAuthor.REPORTER, null, lock(text, reportKey));
    await this.storeUploads(caseId, reportKey, uploads);
    return this.caseFor(caseId, reportKey);
  }

  /**
   * Proves a receipt: candidates by keyed prefix (an index lookup, never a scan), each checked by its
   * argon2id verifier; the same derivation yields the key to the case. Wrong receipts get one generic
   * error and raise the cost of the next look-ups for everyone (IntakeGuardService), never a lock-out.
   */
  private async open(receipt: string): Promise<{ caseId: string; reportKey: Uint8Array }> {
    const digits = normaliseReceipt(receipt);
    if (digits.length !== RECEIPT_DIGITS) return this.noSuchReceipt();
    const lookups = this.lookupKeys.map((key) => this.lookup(key, digits));
    const candidates = await this.cases.receiptCandidates(lookups);
    if (!candidates.length) await deriveKey(digits, DUMMY_SALT, 64);
    for (const c of candidates) {
      const derived = await deriveKey(digits, c.receipt_salt, 64);
      if (!timingSafeEqual(derived.subarray(0, 32), c.receipt_verifier)) continue;
      await this.db.actAs({ userId: null, organisationId: null, isPlatformAdmin: false, caseId: c.id });
      // Only the receipt can re-key its lookup: a rotation moves it here, when the reporter comes back.
      if (!c.receipt_lookup.equals(lookups[0])) await this.cases.rekeyReceipt(c.id, lookups[0], this.lookupKeyId);
      return { caseId: c.id, reportKey: unlock(await this.cases.reporterKey(c.id), derived.subarray(32)) };
    }
    return this.noSuchReceipt();
  }

  private noSuchReceipt(): never {
    this.guard.receiptFailed();
    throw noSuchReceipt();
  }

  private async caseFor(caseId: string, reportKey: Uint8Array): Promise<ReporterCase> {
    const loaded = await this.cases.load(caseId, reportKey);
    return { ...loaded, messages: loaded.messages.filter((m) => m.from !== MessageAuthor.NOTE) };
  }

  private async storeUploads(caseId: string, reportKey: Uint8Array, uploads: Upload[]): Promise<void> {
    for (const u of uploads) {
      const meta = {
        filename: u.filename.slice(0, 200),
        contentType: u.contentType.slice(0, 100),
        size: u.content.length,
      };
      await this.cases.addAttachment(caseId, lock(JSON.stringify(meta), reportKey), lock(u.content, reportKey));
    }
  }

  private lookup(key: Buffer, digits: string): Buffer {
    return createHmac('sha256', key).update(digits).digest().subarray(0, LOOKUP_BYTES);
  }
}

function checkText(value: string, field: string): string {
  const text = value.trim();
  if (!text) throw badInput('Write something first', field);
  if (text.length > MAX_TEXT) throw badInput(`At most ${MAX_TEXT} characters`, field);
  return text;
}

function checkUploads(uploads: Upload[]): void {
  if (uploads.length > MAX_ATTACHMENTS) throw badInput(`At most ${MAX_ATTACHMENTS} attachments`, 'attachments');
  if (uploads.some((u) => u.content.length > MAX_ATTACHMENT_BYTES))
    throw badInput('Each attachment may be at most 20 MB', 'attachments');
}
