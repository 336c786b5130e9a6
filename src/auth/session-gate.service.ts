import { Inject, Injectable } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { unauthenticated } from '../common/errors';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DatabaseService } from '../database/database.service';
import { PasswordService } from './password.service';
import { TotpService } from './totp.service';
import { User, UserStatus } from './user.entity';

const LOCK_AFTER = 5;
const FAILURE_WINDOW_MS = 15 * 60_000;
const MAX_LOCK_MINUTES = 60;

/** One message for every failure, so nobody learns which part was wrong or that an account exists. */
const invalidCredentials = () => unauthenticated('Invalid credentials');

/** The proof a caller brings for an existing account, and where it comes from. */
export interface Credentials {
  password: string;
  totp?: string;
  /** The client's address (the request's `ip`), kept only as a keyed hash. */
  address: string | undefined;
}

/**
 * The one gate every way to a session of an existing account passes (login, accepting an invitation,
 * any future one): the lock of this (account, source), the password, and the second factor when the
 * account has one. Failures lock the source out of the account with a back-off that doubles (1, 2,
 * 4 ... 60 minutes); another source, the owner's, is not locked out by them.
 */
@Injectable()
export class SessionGateService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DatabaseService,
    private readonly passwords: PasswordService,
    private readonly totp: TotpService,
    private readonly audit: AuditService,
  ) {}

  /** The account, or UNAUTHENTICATED; the password is checked even for unknown accounts, in the same time. */
  async pass(em: EntityManager, user: User | null, credentials: Credentials): Promise<User> {
    const passwordOk = await this.passwords.verify(user?.passwordHash, credentials.password);
    if (!user || user.status !== UserStatus.ACTIVE) throw invalidCredentials();
    const source = this.sourceOf(credentials.address);
    const [lock] = await em.query(
      `SELECT 1 FROM login_failures WHERE user_id = $1 AND source = $2 AND locked_until > now()`,
      [user.id, source],
    );
    if (lock) throw invalidCredentials();
    if (!passwordOk) return this.fail(user.id, source);
    if (user.totpSecret) {
      if (!credentials.totp) throw unauthenticated('A TOTP code is required', { totpRequired: true });
      const step = await this.totp.check(user.totpSecret, credentials.totp, user.totpLastStep);
      if (step === null) {
        // The password is proven: naming a replayed code tells its owner to wait for the next one.
        const replayed =
          user.totpLastStep !== null &&
          (await this.totp.check(user.totpSecret, credentials.totp, null)) === Number(user.totpLastStep);
        return this.fail(user.id, source, replayed ? 'This code was used already: wait for the next one' : undefined);
      }
      await em.update(User, user.id, { totpLastStep: String(step) });
    }
    await em.query(`DELETE FROM login_failures WHERE user_id = $1 AND source = $2`, [user.id, source]);
    return user;
  }

  private sourceOf(address: string | undefined): Buffer {
    return createHmac('sha256', this.config.jwtSecret)
      .update(`login-source:${address ?? 'unknown'}`)
      .digest()
      .subarray(0, 16);
  }

  /** Counts the failure outside the request transaction (which rolls back with the error). */
  private async fail(userId: string, source: Buffer, message?: string): Promise<never> {
    await this.db.autonomous(async (em) => {
      const [row]: { failures: number; last_failure_at: Date; locked_until: Date | null }[] = await em.query(
        `SELECT failures, last_failure_at, locked_until FROM login_failures WHERE user_id = $1 AND source = $2 FOR UPDATE`,
        [userId, source],
      );
      const since = Date.now() - FAILURE_WINDOW_MS;
      const recent = row && (row.last_failure_at.getTime() > since || (row.locked_until?.getTime() ?? 0) > since);
      const failures = recent ? row.failures + 1 : 1;
      const lockMinutes = failures >= LOCK_AFTER ? Math.min(2 ** (failures - LOCK_AFTER), MAX_LOCK_MINUTES) : 0;
      await em.query(
        `INSERT INTO login_failures (user_id, source, failures, last_failure_at, locked_until)
         VALUES ($1, $2, $3, now(), CASE WHEN $4::int > 0 THEN now() + $4::int * interval '1 minute' END)
         ON CONFLICT (user_id, source) DO UPDATE
           SET failures = EXCLUDED.failures, last_failure_at = EXCLUDED.last_failure_at, locked_until = EXCLUDED.locked_until`,
        [userId, source, failures, lockMinutes],
      );
      await this.audit.record(
        { action: 'loginFailed', objectType: 'User', objectId: userId, actor: { userId: null, organisationId: null } },
        em,
      );
    });
    throw message ? unauthenticated(message, { totpReused: true }) : invalidCredentials();
  }
}
