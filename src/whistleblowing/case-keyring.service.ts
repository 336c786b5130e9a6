import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import sodium from 'libsodium-wrappers';
import type { Actor } from '../auth/actor';
import { PasswordSession, SessionSecretHolder, SessionSecrets } from '../auth/session-secrets';
import { AppError, ErrorCode } from '../common/errors';
import { APP_CONFIG, AppConfig } from '../config/config';
import { CaseRepository } from './case.repository';
import { CASE_HANDLER_ROLES } from './case-enums';
import { deriveKey, KeyPair, keyPair, lock, openSealed, randomSalt, ready, unlock } from './case-crypto';

interface Unlocked {
  userId: string;
  pair: KeyPair;
  /** Organisation key pairs already opened in this session, by organisation id. */
  organisations: Map<string, KeyPair>;
  lastUsed: number;
}

const caseKeysLocked = () =>
  new AppError(
    ErrorCode.UNAUTHENTICATED,
    'Your case keys are not unlocked on this server: log in again with your password',
    { caseKeysLocked: true },
  );

/**
 * Case handlers' keys, unwrapped in this process's memory for the life of a session only. At a
 * password login of an analyst or admin, the user's own X25519 key pair is opened (or created) with a
 * key derived from the password; an organisation's case key is opened from it on first use. Nothing
 * unwrapped is ever written anywhere; logout, revocation, idle time (CASE_KEYS_IDLE_MINUTES) and
 * shutdown wipe it.
 */
@Injectable()
export class CaseKeyringService implements SessionSecretHolder, OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(CaseKeyringService.name);
  private readonly sessions = new Map<string, Unlocked>();
  private sweeper?: NodeJS.Timeout;

  constructor(
    private readonly cases: CaseRepository,
    private readonly sessionSecrets: SessionSecrets,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    await ready;
    this.sessionSecrets.register(this);
    this.sweeper = setInterval(() => this.sweep(), 60_000).unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweeper);
    this.ended([...this.sessions.keys()]);
  }

  /** Runs inside the login's transaction, acting as the user. */
  async opened({ userId, organisationId, sessionId, password }: PasswordSession): Promise<void> {
    const role = organisationId ? await this.cases.memberRole(organisationId, userId) : undefined;
    if (!role || !CASE_HANDLER_ROLES.includes(role)) return;
    const row = await this.cases.userKey(userId);
    let pair: KeyPair;
    if (row) {
      try {
        pair = {
          publicKey: row.publicKey,
          privateKey: unlock(row.wrappedPrivateKey, await deriveKey(password, row.kdfSalt)),
        };
      } catch {
        this.logger.warn(
          "A case key pair does not open with its owner's password; case keys stay locked for this session",
        );
        return;
      }
    } else {
      pair = keyPair();
      const salt = randomSalt();
      await this.cases.createUserKey({
        userId,
        publicKey: Buffer.from(pair.publicKey),
        wrappedPrivateKey: lock(pair.privateKey, await deriveKey(password, salt)),
        kdfSalt: salt,
      });
    }
    this.sessions.set(sessionId, { userId, pair, organisations: new Map(), lastUsed: Date.now() });
  }

  ended(sessionIds: string[]): void {
    for (const id of sessionIds) {
      const entry = this.sessions.get(id);
      if (!entry) continue;
      sodium.memzero(entry.pair.privateKey);
      for (const org of entry.organisations.values()) sodium.memzero(org.privateKey);
      this.sessions.delete(id);
    }
  }

  /** The caller's own key pair, or UNAUTHENTICATED (caseKeysLocked) when this server has not seen their password. */
  userPair(actor: Actor): KeyPair {
    const entry = this.sessions.get(actor.sessionId);
    if (!entry || entry.userId !== actor.userId) throw caseKeysLocked();
    entry.lastUsed = Date.now();
    return entry.pair;
  }

  /** The acting organisation's case key pair, for one of its designated handlers; null for anyone else. */
  async organisationPair(actor: Actor): Promise<KeyPair | null> {
    const org = actor.organisationId;
    if (!org) return null;
    // Asked on every call, cached key or not: a handler an admin removes loses access at once.
    const wrappedKey = await this.cases.handlerKey(org, actor.userId);
    if (!wrappedKey) return null;
    const entry = this.sessions.get(actor.sessionId);
    const cached = entry?.organisations.get(org);
    if (cached) return cached;
    const own = this.userPair(actor);
    const pair = { publicKey: await this.cases.publicKey(org), privateKey: openSealed(wrappedKey, own) };
    entry!.organisations.set(org, pair);
    return pair;
  }

  private sweep(): void {
    const idle = Date.now() - this.config.CASE_KEYS_IDLE_MINUTES * 60_000;
    this.ended([...this.sessions].filter(([, e]) => e.lastUsed < idle).map(([id]) => id));
  }
}
