import { Inject, Injectable } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { unauthenticated } from '../common/errors';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DatabaseService } from '../database/database.service';
import { AuthRepository, FailureKey } from './auth.repository';
import { PasskeysService, TakenChallenge } from './passkeys.service';
import { RecoveryCodesService } from './recovery-codes.service';
import { PasswordService } from './password.service';
import { TotpService } from './totp.service';
import { User, UserStatus } from './user.entity';

const LOCK_AFTER = 5;
const FAILURE_WINDOW_MS = 15 * 60_000;
const MAX_LOCK_MINUTES = 60;

/** One message for every failure, so nobody learns which part was wrong or that an account exists. */
const invalidCredentials = () => unauthenticated('Invalid credentials');

/** Said whether or not the password was right (else the lock would tell a guesser when they found it). */
const locked = (until: Date) =>
  unauthenticated(
    `Too many failed sign-ins from this network: the account is locked here until ${until.toISOString().slice(11, 16)} UTC (elsewhere it is not)`,
    { lockedUntil: until.toISOString() },
  );

/** The proof a caller brings for an existing account, and where it comes from. */
export interface Credentials {
  password: string;
  totp?: string;
  /** The client's address (the request's `ip`), kept only as a keyed hash. */
  address: string | undefined;
  /** A signed-in session proving the password again: its second factor was checked when it began. */
  withinSession?: boolean;
  /** A passkey as the second factor: its challenge (used up already, if it existed) and its answer. */
  passkey?: { challenge: TakenChallenge | undefined; response: unknown };
  /** A platform administrator's one-time recovery code, for a second factor they lost. */
  recoveryCode?: string;
}

/**
 * The one gate every way to a session of an existing account passes with a password (login, accepting
 * an invitation): the lock of this (account, source), the password, and a second factor when the
 * account has one (its TOTP code, or one of its passkeys). Failures lock the source out of the
 * account with a back-off that doubles (1, 2, 4 ... 60 minutes); another source, the owner's, is not
 * locked out by them.
 */
@Injectable()
export class SessionGateService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DatabaseService,
    private readonly auth: AuthRepository,
    private readonly passwords: PasswordService,
    private readonly totp: TotpService,
    private readonly audit: AuditService,
    private readonly passkeys: PasskeysService,
    private readonly recoveryCodes: RecoveryCodesService,
  ) {}

  /**
   * The account, or UNAUTHENTICATED. The password is checked even for unknown accounts, in the same time,
   * and failures with an unknown address count and lock exactly like those with a known one, so neither
   * the answers nor the lock tell which addresses have accounts.
   */
  async pass(em: EntityManager, email: string, user: User | null, credentials: Credentials): Promise<User> {
    const passwordOk = await this.passwords.verify(user?.passwordHash, credentials.password);
    const key = {
      account: this.keyed('login-account', email.trim().toLowerCase()),
      source: this.sourceOf(credentials.address),
    };
    const lockedUntil = await this.auth.lockedUntil(em, key);
    if (lockedUntil) throw locked(lockedUntil);
    if (!user || user.status !== UserStatus.ACTIVE || !passwordOk) return this.fail(key, user?.id ?? null);
    if (!credentials.withinSession) await this.secondFactor(em, key, user, credentials);
    await this.auth.clearFailures(em, key);
    return user;
  }

  /**
   * The account's second factor, when it has one: a platform administrator's recovery code, a
   * passkey's answer, or else its TOTP code.
   */
  private async secondFactor(em: EntityManager, key: FailureKey, user: User, credentials: Credentials): Promise<void> {
    if (credentials.recoveryCode) {
      if (!user.isPlatformAdmin || !(await this.recoveryCodes.consume(em, user.id, credentials.recoveryCode)))
        return this.fail(key, user.id);
      await this.audit.record(
        {
          action: 'recoveryCodeUsed',
          objectType: 'User',
          objectId: user.id,
          actor: { userId: user.id, organisationId: null },
        },
        em,
      );
      return;
    }
    if (credentials.passkey) {
      const { challenge, response } = credentials.passkey;
      if (!challenge || !(await this.passkeys.verify(em, challenge.challenge, response, user.id)))
        return this.fail(key, user.id);
      return;
    }
    const passkeyRequired = await this.passkeys.hasPasskeys(em, user.id);
    if (!user.totpSecret) {
      if (passkeyRequired) throw unauthenticated('A passkey is required', { passkeyRequired });
      return;
    }
    if (!credentials.totp)
      throw unauthenticated(passkeyRequired ? 'A TOTP code or a passkey is required' : 'A TOTP code is required', {
        totpRequired: true,
        passkeyRequired,
      });
    const step = await this.totp.check(user.totpSecret, credentials.totp, user.totpLastStep);
    if (step === null) {
      // The password is proven: naming a replayed code tells its owner to wait for the next one.
      const replayed =
        user.totpLastStep !== null &&
        (await this.totp.check(user.totpSecret, credentials.totp, null)) === Number(user.totpLastStep);
      return this.fail(key, user.id, replayed);
    }
    await em.update(User, user.id, { totpLastStep: String(step) });
  }

  private sourceOf(address: string | undefined): Buffer {
    return this.keyed('login-source', address ?? 'unknown');
  }

  /** A keyed hash: counters name no address and no e-mail in clear. */
  private keyed(purpose: string, value: string): Buffer {
    return createHmac('sha256', this.config.jwtSecret).update(`${purpose}:${value}`).digest().subarray(0, 16);
  }

  /**
   * Counts the failure once the request's transaction has ended (it rolls back with the error), on a
   * connection taken only after the request gave its own back: concurrent failures cannot exhaust the pool.
   */
  private fail(key: FailureKey, userId: string | null, replayedCode = false): never {
    this.db.afterRequest(async (em) => {
      const failures = await this.auth.countFailure(em, key, userId, FAILURE_WINDOW_MS);
      const lockMinutes = failures >= LOCK_AFTER ? Math.min(2 ** (failures - LOCK_AFTER), MAX_LOCK_MINUTES) : 0;
      await this.auth.lockFor(em, key, lockMinutes);
      // Failures for an address without an account leave no trail of what was tried.
      if (!userId) return;
      await this.audit.record(
        { action: 'loginFailed', objectType: 'User', objectId: userId, actor: { userId: null, organisationId: null } },
        em,
      );
    });
    if (replayedCode) throw unauthenticated('This code was used already: wait for the next one', { totpReused: true });
    throw invalidCredentials();
  }
}
