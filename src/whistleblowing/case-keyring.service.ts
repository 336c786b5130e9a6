import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import sodium from 'libsodium-wrappers';
import type { Actor } from '../common/actor';
import { PasswordSession, SessionSecretHolder, SessionSecrets } from '../auth/session-secrets';
import { AppError, ErrorCode } from '../common/errors';
import { APP_CONFIG, AppConfig } from '../config/config';
import { CaseRepository } from './case.repository';
import { Peers } from '../common/peers';
import { CASE_HANDLER_ROLES } from './case-enums';
import { deriveKey, KeyPair, keyPair, lock, openSealed, randomSalt, ready, unlock } from './case-crypto';

interface Unlocked {
  userId: string;
  pair: KeyPair;
  /** Organisation key pairs already opened in this session, by organisation id. */
  organisations: Map<string, KeyPair>;
  lastUsed: number;
  /** When the other workers last heard of its use. */
  told: number;
}

const OPENED = 'caseKeys.opened';
const USED = 'caseKeys.used';
const ENDED = 'caseKeys.ended';
const WANTED = 'caseKeys.wanted';

const caseKeysLocked = () =>
  new AppError(
    ErrorCode.UNAUTHENTICATED,
    'Your case keys are not unlocked on this server: log in again with your password',
    { caseKeysLocked: true },
  );

/** How often a worker tells the others a session's keys are in use (their idle clocks), at most. */
const USE_NOTICE_MS = 30_000;

/**
 * Case handlers' keys, unwrapped in this process's memory for the life of a session only. At a
 * password login of an analyst or admin, the user's own X25519 key pair is opened (or created) with a
 * key derived from the password; an organisation's case key is opened from it on first use. Nothing
 * unwrapped is ever written anywhere; logout, revocation, idle time (CASE_KEYS_IDLE_MINUTES) and
 * shutdown wipe it. Under WEB_CONCURRENCY the workers of this server hold the same sessions (any of
 * them may get the handler's next request): an opened pair, its use and its end travel to the others
 * over the cluster's IPC channel (common/peers.ts), never over the network; a worker that started
 * after the login (a replacement, or one still booting then) asks the others on first use.
 */
@Injectable()
export class CaseKeyringService implements SessionSecretHolder, OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(CaseKeyringService.name);
  private readonly sessions = new Map<string, Unlocked>();
  /** Ended since the last sweep: a pair a peer sent before it heard of the end is not kept. */
  private readonly endedSessions = new Set<string>();
  private sweeper?: NodeJS.Timeout;

  constructor(
    private readonly cases: CaseRepository,
    private readonly sessionSecrets: SessionSecrets,
    private readonly peers: Peers,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    await ready;
    this.sessionSecrets.register(this);
    this.peers.on<{ sessionId: string; userId: string; pair: KeyPair }>(OPENED, ({ sessionId, userId, pair }) =>
      this.keep(sessionId, userId, pair),
    );
    this.peers.on<string>(USED, (sessionId) => {
      const entry = this.sessions.get(sessionId);
      if (entry) entry.lastUsed = Date.now();
    });
    this.peers.on<string[]>(ENDED, (sessionIds) => this.end(sessionIds));
    this.peers.answer<string, { userId: string; pair: KeyPair }>(WANTED, (sessionId) => {
      const entry = this.sessions.get(sessionId);
      return entry ? { userId: entry.userId, pair: entry.pair } : null;
    });
    this.sweeper = setInterval(() => this.sweep(), 60_000).unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweeper);
    this.wipe([...this.sessions.keys()]); // this worker's copies only
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
    this.keep(sessionId, userId, pair);
    this.peers.tell(OPENED, { sessionId, userId, pair });
  }

  ended(sessionIds: string[]): void {
    this.end(sessionIds);
    this.peers.tell(ENDED, sessionIds);
  }

  private end(sessionIds: string[]): void {
    for (const id of sessionIds) this.endedSessions.add(id);
    this.wipe(sessionIds);
  }

  private keep(sessionId: string, userId: string, pair: KeyPair): void {
    this.sessions.set(sessionId, { userId, pair, organisations: new Map(), lastUsed: Date.now(), told: Date.now() });
  }

  private wipe(sessionIds: string[]): void {
    for (const id of sessionIds) {
      const entry = this.sessions.get(id);
      if (!entry) continue;
      sodium.memzero(entry.pair.privateKey);
      for (const org of entry.organisations.values()) sodium.memzero(org.privateKey);
      this.sessions.delete(id);
    }
  }

  /** The caller's own key pair, or UNAUTHENTICATED (caseKeysLocked) when this server has not seen their password. */
  async userPair(actor: Actor): Promise<KeyPair> {
    return (await this.unlocked(actor)).pair;
  }

  private async unlocked(actor: Actor): Promise<Unlocked> {
    const entry = this.sessions.get(actor.sessionId) ?? (await this.fromPeers(actor.sessionId));
    if (!entry || entry.userId !== actor.userId) throw caseKeysLocked();
    entry.lastUsed = Date.now();
    if (entry.lastUsed - entry.told > USE_NOTICE_MS) {
      entry.told = entry.lastUsed;
      this.peers.tell(USED, actor.sessionId);
    }
    return entry;
  }

  private async fromPeers(sessionId: string): Promise<Unlocked | undefined> {
    const held = await this.peers.ask<{ userId: string; pair: KeyPair }>(WANTED, sessionId);
    if (!held) return undefined;
    // Another request of this session may have fetched it meanwhile: one copy only.
    if (this.sessions.has(sessionId) || this.endedSessions.has(sessionId)) sodium.memzero(held.pair.privateKey);
    else this.keep(sessionId, held.userId, held.pair);
    return this.sessions.get(sessionId);
  }

  /** The acting organisation's case key pair, for one of its designated handlers; null for anyone else. */
  async organisationPair(actor: Actor): Promise<KeyPair | null> {
    const org = actor.organisationId;
    if (!org) return null;
    // Asked on every call, cached key or not: a handler an admin removes loses access at once.
    const wrappedKey = await this.cases.handlerKey(org, actor.userId);
    if (!wrappedKey) return null;
    const entry = await this.unlocked(actor);
    if (!entry.organisations.has(org)) {
      const publicKey = await this.cases.publicKey(org);
      // Opened after the wait: a concurrent request of this session may have opened it meanwhile.
      if (!entry.organisations.has(org))
        entry.organisations.set(org, { publicKey, privateKey: openSealed(wrappedKey, entry.pair) });
    }
    return entry.organisations.get(org)!;
  }

  /** Every worker sweeps its own copies by the same clock (uses are told to all). */
  private sweep(): void {
    this.endedSessions.clear();
    const idle = Date.now() - this.config.CASE_KEYS_IDLE_MINUTES * 60_000;
    this.wipe([...this.sessions].filter(([, e]) => e.lastUsed < idle).map(([id]) => id));
  }
}
