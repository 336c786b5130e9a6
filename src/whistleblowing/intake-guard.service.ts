import { Inject, Injectable } from '@nestjs/common';
import { registerEnumType } from '@nestjs/graphql';
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { badInput } from '../common/errors';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DatabaseService } from '../database/database.service';
import { subkey } from './case-crypto';
import { IntakeRepository } from './intake.repository';

/** What a challenge pays for: a new report, or one look at (or answer to) a case by receipt. */
export enum IntakePurpose {
  SUBMIT = 'SUBMIT',
  FOLLOW_UP = 'FOLLOW_UP',
}
registerEnumType(IntakePurpose, { name: 'IntakePurpose' });

/** GraphQL clients solve a hashcash proof of work; the no-JavaScript form, which cannot, waits instead. */
export type ChallengeKind = 'pow' | 'form';

/** A signed challenge; its cost (proof-of-work bits, or seconds to wait for a form) is written into it. */
export interface IssuedChallenge {
  challenge: string;
  /** Leading zero bits the proof must give (pow). */
  difficulty: number;
}

const CHALLENGE_TTL_MS = 3_600_000;
const MAX_BITS = 28;
const MAX_WAIT_SECONDS = 300;
/** Failed receipt guesses per hour, across the server, before the cost of looking up a case grows. */
const FREE_RECEIPT_FAILURES = 20;

/**
 * The cost of whistleblower intake, against floods and receipt guessing, without refusing anyone by
 * address (a Tor exit or a port's NAT is shared by reporters and attackers alike). Every submission and
 * every look-up by receipt spends a single-use challenge the server signed; its cost (proof-of-work bits,
 * or seconds to wait for the form) doubles with each doubling of the recent pressure on that purpose
 * (submissions, failed receipts), counted per 10 minutes across all instances in Postgres. A correct
 * receipt still gets through during an attack; it costs more, as every guess does. Spent challenges are
 * shared by every instance, so none is spent twice.
 */
@Injectable()
export class IntakeGuardService {
  /** Under the current ENCRYPTION_KEY first: challenges another instance issued before a rotation still count. */
  private readonly keys: Buffer[];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DatabaseService,
    private readonly intake: IntakeRepository,
  ) {
    this.keys = config.encryptionKeys.map((k) => subkey(k, 'harbourwatch report challenge'));
  }

  async issue(kind: ChallengeKind, purpose: IntakePurpose): Promise<IssuedChallenge> {
    const level = await this.pressureLevel(purpose);
    const difficulty = Math.min(this.config.REPORT_POW_BITS + level, MAX_BITS);
    const waitSeconds = Math.min(this.config.REPORT_FORM_MIN_SECONDS * 2 ** level, MAX_WAIT_SECONDS);
    const payload = `${kind}.${purpose}.${Date.now()}.${kind === 'pow' ? difficulty : waitSeconds}.${randomBytes(12).toString('base64url')}`;
    return { challenge: `${payload}.${sign(this.keys[0], payload)}`, difficulty };
  }

  /**
   * BAD_USER_INPUT naming `field` unless the challenge is genuine, for `purpose`, fresh, paid for and
   * unspent; then it is spent, in a transaction of its own (a failed request does not give it back).
   */
  async spend(
    kind: ChallengeKind,
    purpose: IntakePurpose,
    challenge: string,
    proof: string | undefined,
    field: string,
  ): Promise<void> {
    const parts = challenge.split('.');
    const payload = parts.slice(0, 5).join('.');
    const signature = Buffer.from(parts[5] ?? '');

    const [issuedKind, issuedFor, at, cost]: string[] = parts;
    const issuedAt = Number(at);
    const genuine =
      parts.length === 6 &&
      issuedKind === kind &&
      issuedFor === String(purpose) &&
      this.keys.some((key) => {
        const expected = Buffer.from(sign(key, payload));
        return signature.length === expected.length && timingSafeEqual(signature, expected);
      });
    if (!genuine || !(Date.now() - issuedAt < CHALLENGE_TTL_MS))
      throw badInput('The challenge is not valid or has expired: start again', field);
    if (kind === 'form' && Date.now() - issuedAt < Number(cost) * 1000) {
      throw badInput(
        `Please take a moment to check what you wrote (at least ${cost} seconds), then send it again`,
        field,
      );
    }
    if (
      kind === 'pow' &&
      !leadingZeroBits(
        createHash('sha256')
          .update(`${challenge}:${proof ?? ''}`)
          .digest(),
        Number(cost),
      )
    ) {
      throw badInput('The proof of work does not solve the challenge', 'proof');
    }
    const digest = createHash('sha256').update(challenge).digest().subarray(0, 16);
    if (!(await this.intake.spend(digest))) throw badInput('This challenge was used already: start again', field);
  }

  /** A submission, in the request's transaction: counted only if the report is stored. */
  async submitted(): Promise<void> {
    await this.intake.count(IntakePurpose.SUBMIT);
  }

  /** A receipt that matched no case: counted once the request has ended, although it fails. */
  receiptFailed(): void {
    this.db.afterRequest((em) => this.intake.count(IntakePurpose.FOLLOW_UP, em));
  }

  /** 0 while the last hour was calm; +1 for each doubling beyond what is free. */
  private async pressureLevel(purpose: IntakePurpose): Promise<number> {
    const n = await this.intake.lastHour(purpose);
    const free = purpose === IntakePurpose.SUBMIT ? this.config.REPORTS_PER_HOUR : FREE_RECEIPT_FAILURES;
    return Math.floor(Math.log2(1 + n / free));
  }
}

const sign = (key: Buffer, payload: string): string => createHmac('sha256', key).update(payload).digest('base64url');

/** Whether the hash starts with `bits` zero bits: what a proof of work must show. */
export function leadingZeroBits(hash: Buffer, bits: number): boolean {
  for (let i = 0; i < bits; i++) if (hash[i >> 3] & (0x80 >> (i & 7))) return false;
  return true;
}
