import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError, badInput, ErrorCode } from '../common/errors';

/**
 * Counts attempts per client without knowing who the client is: the key is an HMAC of the address
 * under a random salt that lives in memory only and is replaced every day, and the counters are never
 * written anywhere. Yesterday's keys cannot be recomputed, even by this process.
 */
export class ClientThrottle {
  private salt = randomBytes(32);
  private saltDay = today();
  private readonly attempts = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Counts an attempt, or refuses it (RATE_LIMITED) once the client has used up the window's attempts. */
  take(address: string | undefined): void {
    const key = this.keyOf(address);
    const recent = this.recent(key);
    if (recent.length >= this.limit) throw new AppError(ErrorCode.RATE_LIMITED, 'Too many attempts: wait a few minutes and try again');
    this.attempts.set(key, [...recent, Date.now()]);
  }

  /** Gives back the client's latest attempt (it succeeded, and only failures should count). */
  refund(address: string | undefined): void {
    const key = this.keyOf(address);
    this.attempts.set(key, this.recent(key).slice(0, -1));
  }

  private recent(key: string): number[] {
    const since = Date.now() - this.windowMs;
    return (this.attempts.get(key) ?? []).filter((t) => t > since);
  }

  private keyOf(address: string | undefined): string {
    if (this.saltDay !== today()) {
      this.salt = randomBytes(32);
      this.saltDay = today();
      this.attempts.clear();
    }
    return createHmac('sha256', this.salt).update(address ?? '').digest('base64url');
  }
}

const today = () => new Date().toISOString().slice(0, 10);

type ChallengeKind = 'pow' | 'form';
const CHALLENGE_TTL_MS = 3_600_000;

/**
 * The cost of a submission, against floods. Each submission spends a single-use challenge the server
 * signed: GraphQL clients solve it as a hashcash proof of work (SHA-256 of `challenge:proof` starting
 * with `bits` zero bits); the no-JavaScript form, which cannot compute, carries one that must be at
 * least `minFormMs` old when posted. Spent challenges are remembered in memory until they expire.
 */
export class SubmissionCost {
  private readonly spent = new Map<string, number>();

  constructor(
    private readonly key: Buffer,
    readonly bits: number,
    private readonly minFormMs: number,
  ) {}

  issue(kind: ChallengeKind): string {
    const payload = `${kind}.${Date.now()}.${randomBytes(12).toString('base64url')}`;
    return `${payload}.${this.sign(payload)}`;
  }

  /** BAD_USER_INPUT naming `field` unless the challenge is genuine, fresh, unspent and (for pow) solved. */
  spend(kind: ChallengeKind, challenge: string, proof: string | undefined, field: string): void {
    const parts = challenge.split('.');
    const payload = parts.slice(0, 3).join('.');
    const signature = Buffer.from(parts[3] ?? '');
    const expected = Buffer.from(this.sign(payload));
    const issuedAt = Number(parts[1]);
    const genuine = parts.length === 4 && parts[0] === kind && signature.length === expected.length && timingSafeEqual(signature, expected);
    if (!genuine || !(Date.now() - issuedAt < CHALLENGE_TTL_MS)) throw badInput('The challenge is not valid or has expired: start again', field);
    if (this.spent.has(challenge)) throw badInput('This challenge was used already: start again', field);
    if (kind === 'form' && Date.now() - issuedAt < this.minFormMs) throw badInput('Please take a moment to check your report, then send it again', field);
    if (kind === 'pow' && !leadingZeroBits(createHash('sha256').update(`${challenge}:${proof ?? ''}`).digest(), this.bits)) {
      throw badInput('The proof of work does not solve the challenge', 'proof');
    }
    this.forgetExpired();
    this.spent.set(challenge, issuedAt);
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.key).update(payload).digest('base64url');
  }

  private forgetExpired(): void {
    const cutoff = Date.now() - CHALLENGE_TTL_MS;
    for (const [challenge, issuedAt] of this.spent) if (issuedAt < cutoff) this.spent.delete(challenge);
  }
}

export function leadingZeroBits(hash: Buffer, bits: number): boolean {
  for (let i = 0; i < bits; i++) if (hash[i >> 3] & (0x80 >> (i & 7))) return false;
  return true;
}
