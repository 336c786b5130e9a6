import { Inject, Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DatabaseService } from '../database/database.service';
import { ActorRow, AuthRepository } from './auth.repository';

const MAX_CACHED = 10_000;
import type { AccessTokenClaims, Actor } from '../common/actor';

/**
 * Turns verified token claims into an Actor, re-checking that the user is active, the session is not
 * revoked, and (for an organisation token) that the membership still exists and the organisation is
 * active. Answers are cached for ACTOR_CACHE_MS (2 s by default) at most; any revocation, suspension or
 * membership change made through this instance clears the cache at once, so it takes effect on the
 * next request here and within ACTOR_CACHE_MS on other instances.
 */
@Injectable()
export class ActorService {
  private readonly cache = new Map<string, { actor: Actor | null; until: number }>();

  constructor(
    private readonly auth: AuthRepository,
    private readonly db: DatabaseService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Drops every cached answer after a revocation or membership change: now, and again once the
   * change commits, so a request that read the old state in between cannot keep it.
   */
  forget(): void {
    this.cache.clear();
    this.db.afterCommit(async () => this.cache.clear());
  }

  async resolve(claims: AccessTokenClaims, fresh = false): Promise<Actor | null> {
    const key = keyOf(claims);
    const hit = this.cache.get(key);
    if (!fresh && hit && hit.until > Date.now()) return hit.actor;
    const actor = await this.load(claims);
    this.remember(key, actor);
    return actor;
  }

  private remember(key: string, actor: Actor | null): void {
    if (this.config.ACTOR_CACHE_MS <= 0) return;
    if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(key, { actor, until: Date.now() + this.config.ACTOR_CACHE_MS });
  }

  /**
   * `resolve` for many at once (the subscribers of one real-time event): cached answers as `resolve`
   * gives them, the others checked in one round trip.
   */
  async resolveMany(claims: readonly AccessTokenClaims[]): Promise<(Actor | null)[]> {
    const now = Date.now();
    const answers = claims.map((c) => {
      const hit = this.cache.get(keyOf(c));
      return hit && hit.until > now ? hit.actor : undefined;
    });
    const missing = claims.flatMap((c, i) => (answers[i] === undefined && wellFormed(c) ? [i] : []));
    const rows = missing.length
      ? await this.auth.resolveActors(
          missing.map((i) => ({
            userId: claims[i].sub,
            sessionId: claims[i].sid,
            organisationId: claims[i].org ?? null,
          })),
        )
      : new Map<number, ActorRow>();
    missing.forEach((i, n) => {
      const actor = actorOf(claims[i], rows.get(n));
      this.remember(keyOf(claims[i]), actor);
      answers[i] = actor;
    });
    return answers.map((a) => a ?? null);
  }

  private async load(claims: AccessTokenClaims): Promise<Actor | null> {
    if (!wellFormed(claims)) return null;
    // A SECURITY DEFINER function: nobody is authenticated yet, so row-level security would hide the rows.
    return actorOf(claims, await this.auth.resolveActor(claims.sub, claims.sid, claims.org ?? null));
  }
}

/** One token's identity (user, session, organisation): the key of its resolved actor. */
export const keyOf = (claims: AccessTokenClaims) => `${claims.sub}|${claims.sid}|${claims.org ?? ''}`;

function wellFormed(claims: AccessTokenClaims): boolean {
  return isUUID(claims.sub) && isUUID(claims.sid) && (claims.org == null || isUUID(claims.org));
}

function actorOf(claims: AccessTokenClaims, row: ActorRow | undefined): Actor | null {
  const org = claims.org ?? null;
  if (!row) return null;
  if (org ? !row.org_type : !row.is_platform_admin) return null;
  return {
    userId: claims.sub,
    sessionId: claims.sid,
    isPlatformAdmin: row.is_platform_admin,
    hasSecondFactor: row.totp_enabled,
    organisationId: org,
    role: org ? row.role : null,
    organisationType: row.org_type,
    organisationPorts: row.org_ports ?? [],
    enrolmentOnly: row.enrolment_only,
  };
}
