import { Injectable } from '@nestjs/common';
import { EntityManager, IsNull } from 'typeorm';
import { DatabaseService } from '../database/database.service';
import { MemberRole, OrganisationType } from '../common/organisation-type';
import { Session } from './session.entity';

/** What a token's user, session and membership look like in the database now. */
export interface ActorRow {
  is_platform_admin: boolean;
  /** TOTP or a passkey (the column kept its first name). */
  totp_enabled: boolean;
  role: MemberRole | null;
  org_type: OrganisationType | null;
  org_ports: string[] | null;
  enrolment_only: boolean;
}

/** A refresh token claimed by auth_claim_refresh_token; `reused`: it had been used before. */
export interface ClaimedToken {
  session_id: string;
  user_id: string;
  organisation_id: string | null;
  reused: boolean;
}

/** Which sessions to end: one, a user's, a user's in one organisation, an organisation's, or an IdP's for a person. */
export type SessionMatch = Partial<
  Pick<Session, 'id' | 'userId' | 'organisationId' | 'identityProviderId' | 'idpSubject' | 'idpSessionId'>
>;

/** Failed sign-ins of one (keyed account, keyed source) pair. */
export interface FailureKey {
  account: Buffer;
  source: Buffer;
}

/**
 * Accounts, sessions and sign-in counters. Much of it runs before anyone is authenticated, through
 * SECURITY DEFINER functions or in transactions of its own (`em` given by the caller).
 */
@Injectable()
export class AuthRepository {
  constructor(private readonly db: DatabaseService) {}

  /**
   * The user, session and membership behind token claims (a SECURITY DEFINER function: nobody may be
   * authenticated yet, so row-level security would hide the rows).
   */
  async resolveActor(userId: string, sessionId: string, organisationId: string | null): Promise<ActorRow | undefined> {
    const [row] = await this.db.query<ActorRow[]>(`SELECT * FROM auth_resolve_actor($1, $2, $3)`, [
      userId,
      sessionId,
      organisationId,
    ]);
    return row;
  }

  /** resolveActor for many tokens in one round trip: the rows of those still live, by index in `claims`. */
  async resolveActors(
    claims: { userId: string; sessionId: string; organisationId: string | null }[],
  ): Promise<Map<number, ActorRow>> {
    const rows = await this.db.query<(ActorRow & { i: string })[]>(
      `SELECT k.i - 1 AS i, r.* FROM unnest($1::uuid[], $2::uuid[], $3::uuid[]) WITH ORDINALITY AS k(u, s, o, i)
         CROSS JOIN LATERAL auth_resolve_actor(k.u, k.s, k.o) AS r`,
      [claims.map((c) => c.userId), claims.map((c) => c.sessionId), claims.map((c) => c.organisationId)],
    );
    return new Map(rows.map(({ i, ...row }) => [Number(i), row]));
  }

  /** The user's organisations by name, and whether each is active. */
  async memberships(userId: string): Promise<{ organisation_id: string; name: string; active: boolean }[]> {
    return (await this.db.em()).query(
      `SELECT m.organisation_id, o.name, o.status = 'ACTIVE' AS active
         FROM memberships m JOIN organisations o ON o.id = m.organisation_id
        WHERE m.user_id = $1 ORDER BY o.name`,
      [userId],
    );
  }

  async requiresPhishingResistant(organisationId: string): Promise<boolean> {
    const [row] = await (
      await this.db.em()
    ).query<{ required: boolean }[]>(
      `SELECT requires_phishing_resistant AS required FROM organisations WHERE id = $1`,
      [organisationId],
    );
    return row?.required ?? false;
  }

  /** Whether an approved identity provider of the organisation forbids its people passwords. */
  async passwordsRefused(organisationId: string): Promise<boolean> {
    const [row] = await (
      await this.db.em()
    ).query<{ required: boolean }[]>(
      `SELECT required FROM identity_providers WHERE organisation_id = $1 AND approved_at IS NOT NULL`,
      [organisationId],
    );
    return row?.required ?? false;
  }

  async organisationRef(id: string): Promise<{ id: string; name: string } | undefined> {
    const [row]: { id: string; name: string }[] = await (
      await this.db.em()
    ).query(`SELECT id, name FROM organisations WHERE id = $1`, [id]);
    return row;
  }

  /** Marks a refresh token used, atomically; a reused one has its whole session family revoked by the function. */
  async claimRefreshToken(em: EntityManager, tokenHash: Buffer): Promise<ClaimedToken | undefined> {
    const [row]: ClaimedToken[] = await em.query(`SELECT * FROM auth_claim_refresh_token($1)`, [tokenHash]);
    return row;
  }

  /** Ends the live sessions matching `match`; returns their ids. */
  async revokeSessions(em: EntityManager, match: SessionMatch, reason: string): Promise<string[]> {
    const { raw } = await em
      .createQueryBuilder()
      .update(Session)
      .set({ revokedAt: () => 'now()', revokeReason: reason })
      .where({ ...match, revokedAt: IsNull() })
      .returning('id')
      .execute();
    return (raw as { id: string }[]).map((r) => r.id);
  }

  /** The user's live sessions (not ended, not expired), newest first, with their organisations' names. */
  async platformAdministrators(): Promise<
    { id: string; email: string; displayName: string; totpEnabled: boolean; hasPasskey: boolean; status: string }[]
  > {
    return (await this.db.em()).query(
      `SELECT id, email, display_name AS "displayName", totp_secret IS NOT NULL AS "totpEnabled",
              EXISTS (SELECT 1 FROM passkeys p WHERE p.user_id = users.id) AS "hasPasskey", status
         FROM users WHERE is_platform_admin ORDER BY display_name, email`,
    );
  }

  async liveSessions(
    userId: string,
  ): Promise<
    { id: string; organisation_id: string | null; name: string | null; created_at: Date; expires_at: Date }[]
  > {
    return (await this.db.em()).query(
      `SELECT s.id, s.organisation_id, o.name, s.created_at, s.expires_at
         FROM sessions s LEFT JOIN organisations o ON o.id = s.organisation_id
        WHERE s.user_id = $1 AND s.revoked_at IS NULL AND s.expires_at > now()
        ORDER BY s.created_at DESC, s.id`,
      [userId],
    );
  }

  /** When the pair's lock ends, if it is locked now. */
  async lockedUntil(em: EntityManager, key: FailureKey): Promise<Date | undefined> {
    const [row]: { locked_until: Date }[] = await em.query(
      `SELECT locked_until FROM login_failures WHERE account = $1 AND source = $2 AND locked_until > now()`,
      [key.account, key.source],
    );
    return row?.locked_until;
  }

  async clearFailures(em: EntityManager, key: FailureKey): Promise<void> {
    await em.query(`DELETE FROM login_failures WHERE account = $1 AND source = $2`, [key.account, key.source]);
  }

  /**
   * Counts one failure in one statement (concurrent failures of a pair cannot lose one), restarting the
   * count when the last failure and lock are older than `windowMs`; the row stays locked until commit.
   */
  async countFailure(em: EntityManager, key: FailureKey, userId: string | null, windowMs: number): Promise<number> {
    const [{ failures }]: { failures: number }[] = await em.query(
      `INSERT INTO login_failures AS f (account, source, user_id, failures, last_failure_at) VALUES ($1, $2, $4, 1, now())
       ON CONFLICT (account, source) DO UPDATE SET
         failures = CASE WHEN f.last_failure_at > now() - $3 * interval '1 millisecond'
                           OR f.locked_until > now() - $3 * interval '1 millisecond'
                         THEN f.failures + 1 ELSE 1 END,
         last_failure_at = now()
       RETURNING failures`,
      [key.account, key.source, windowMs, userId],
    );
    return failures;
  }

  /** Locks the pair for `minutes` from now (0: not locked). */
  async lockFor(em: EntityManager, key: FailureKey, minutes: number): Promise<void> {
    await em.query(
      `UPDATE login_failures SET locked_until = CASE WHEN $3::int > 0 THEN now() + $3::int * interval '1 minute' END
        WHERE account = $1 AND source = $2`,
      [key.account, key.source, minutes],
    );
  }
}
