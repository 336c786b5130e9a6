import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { APP_CONFIG, AppConfig } from '../config/config';
import { AppError, badInput, conflict, ErrorCode, notFound, unauthenticated } from '../common/errors';
import { randomToken, sha256 } from '../common/secret-box';
import { DatabaseService } from '../database/database.service';
import type { AccessTokenClaims, Actor } from '../common/actor';
import { ActorService } from './actor.service';
import { AuthRepository, ClaimedToken, SessionMatch } from './auth.repository';
import { AuthSession, SessionView, TotpEnrolment } from './dto/auth.types';
import { LoginArgs } from './dto/auth.inputs';
import { SignInWithPasskeyArgs } from './dto/passkey.types';
import { Passkey } from './passkey.entity';
import { PasskeysService } from './passkeys.service';
import { ProviderRechecks } from './provider-recheck';
import { SessionGateService } from './session-gate.service';
import { SessionSecrets } from './session-secrets';
import { RefreshToken } from './refresh-token.entity';
import { Session } from './session.entity';
import { TotpService } from './totp.service';
import { User, UserStatus } from './user.entity';

/**
 * What proved the person at the start of a session: their password (with a passkey as its second
 * factor, or not), a passkey alone, or their organisation's identity provider.
 */
export type SessionProof =
  | { password: string; withPasskey?: boolean }
  | { passkey: true }
  | {
      identityProvider: {
        id: string;
        subject: string;
        sessionId: string | null;
        /** The provider's refresh token, sealed, to ask it again at refresh. */
        refreshTokenSealed: string | null;
        /** The provider says the person used a phishing-resistant factor (amr). */
        phishingResistant: boolean;
      };
    };

@Injectable()
export class AuthService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DatabaseService,
    private readonly auth: AuthRepository,
    private readonly jwt: JwtService,
    private readonly totp: TotpService,
    private readonly actors: ActorService,
    private readonly audit: AuditService,
    private readonly sessionSecrets: SessionSecrets,
    private readonly gate: SessionGateService,
    private readonly rechecks: ProviderRechecks,
    private readonly passkeys: PasskeysService,
  ) {}

  async login(args: LoginArgs, address: string | undefined): Promise<AuthSession> {
    // Used up before the request takes its connection: a failed sign-in cannot give it back.
    const passkey = args.passkey && {
      challenge: await this.passkeys.takeForSignIn(args.passkey.challengeId),
      response: args.passkey.response,
    };
    const em = await this.db.em();
    const account = await em.findOne(User, { where: { email: args.email.trim() } });
    const user = await this.gate.pass(em, args.email, account, {
      password: args.password,
      totp: args.totp,
      passkey,
      recoveryCode: args.recoveryCode,
      address,
    });
    return this.open(user, args.organisationId, { password: args.password, withPasskey: !!passkey });
  }

  /**
   * A sign-in with a passkey alone (discoverable: the passkey names its account). Any failure reads the
   * same, and counts in the sign-in throttle like a wrong password.
   */
  async loginWithPasskey(args: SignInWithPasskeyArgs): Promise<AuthSession> {
    const challenge = await this.passkeys.takeForSignIn(args.challengeId);
    const em = await this.db.em();
    const passkey = challenge && (await this.passkeys.verify(em, challenge.challenge, args.response));
    const user = passkey ? await em.findOneBy(User, { id: passkey.userId }) : null;
    if (!user || user.status !== UserStatus.ACTIVE) throw unauthenticated('Invalid credentials');
    return this.open(user, args.organisationId, { passkey: true });
  }

  /** The session of a proven person, for the organisation they act for. */
  private async open(user: User, requested: string | undefined, proof: SessionProof): Promise<AuthSession> {
    // Authenticated from here on: the database may show this user's memberships.
    await this.db.actAs({ userId: user.id, organisationId: null, isPlatformAdmin: user.isPlatformAdmin });
    const organisationId = await this.chooseOrganisation(user, requested);
    await this.db.actAs({ userId: user.id, organisationId, isPlatformAdmin: user.isPlatformAdmin });
    return this.startSession(user.id, organisationId, proof);
  }

  private async chooseOrganisation(user: User, requested?: string): Promise<string | null> {
    const memberships = await this.auth.memberships(user.id);
    const choices = memberships.filter((m) => m.active);
    // The password is proven: the person may learn that their own organisation is suspended.
    const suspended = (names: string[]) =>
      unauthenticated(
        `${names.join(', ')} ${names.length > 1 ? 'are' : 'is'} suspended: contact the alliance's platform administrators`,
        {
          organisationSuspended: true,
        },
      );
    if (requested) {
      const membership = memberships.find((m) => m.organisation_id === requested);
      if (!membership) throw unauthenticated('No membership in that organisation');
      if (!membership.active) throw suspended([membership.name]);
      return requested;
    }
    if (choices.length === 1) return choices[0].organisation_id;
    if (choices.length === 0) {
      if (user.isPlatformAdmin) return null;
      if (memberships.length) throw suspended(memberships.map((m) => m.name));
      throw unauthenticated('No active membership in any organisation');
    }
    // Lists only the caller's own organisations, so a client can offer the choice.
    throw new AppError(
      ErrorCode.BAD_USER_INPUT,
      'organisationId is required: you are a member of several organisations',
      {
        field: 'organisationId',
        organisations: choices.map((c) => ({ id: c.organisation_id, name: c.name })),
      },
    );
  }

  /**
   * Opens a session (a refresh token family) for `organisationId`, given what proved the person, and
   * issues its first tokens. The last step of every way to a session: an organisation whose identity
   * provider is required refuses its people any other proof here, whichever way they came.
   */
  async startSession(userId: string, organisationId: string | null, proof: SessionProof): Promise<AuthSession> {
    // A passkey does not stand in for the provider either: the provider decides who has left.
    if (!('identityProvider' in proof) && organisationId && (await this.auth.passwordsRefused(organisationId)))
      throw unauthenticated(
        "Your organisation signs you in through its own identity provider: use your organisation's account",
        {
          identityProviderRequired: true,
        },
      );
    const em = await this.db.em();
    const federated = 'identityProvider' in proof ? proof.identityProvider : null;
    const phishingResistant =
      'passkey' in proof || ('password' in proof && !!proof.withPasskey) || !!federated?.phishingResistant;
    if (!phishingResistant && organisationId && (await this.auth.requiresPhishingResistant(organisationId))) {
      // Someone without a passkey yet gets a session that may only add one (Actor.enrolmentOnly); whoever
      // has one signs in with it. A provider must itself say that the person used a phishing-resistant factor.
      if (federated || (await this.passkeys.hasPasskeys(em, userId)))
        throw unauthenticated(
          federated
            ? "Your organisation requires a phishing-resistant sign-in: use a passkey or security key at your organisation's identity provider"
            : 'Your organisation requires a passkey: sign in with your passkey',
          { phishingResistantRequired: true },
        );
    }
    const session = await em.save(
      em.create(Session, {
        userId,
        organisationId,
        expiresAt: this.refreshExpiry(),
        identityProviderId: federated?.id ?? null,
        idpSubject: federated?.subject ?? null,
        idpSessionId: federated?.sessionId ?? null,
        idpRefreshSealed: federated?.refreshTokenSealed ?? null,
        idpCheckedAt: federated ? new Date() : null,
        phishingResistant,
      }),
    );
    await this.audit.record({
      action: 'sessionStarted',
      objectType: 'Session',
      objectId: session.id,
      actor: { userId, organisationId },
      details: { method: federated ? 'identityProvider' : 'passkey' in proof ? 'passkey' : 'password' },
    });
    if ('password' in proof)
      await this.sessionSecrets.opened({ userId, organisationId, sessionId: session.id, password: proof.password });
    return this.issueTokens(em, session);
  }

  async refresh(token: string): Promise<AuthSession> {
    const claimed = await this.claimRefreshToken(token);
    // Before the request takes its connection: a session begun through an identity provider asks it
    // again once OIDC_RECHECK_MINUTES have passed, and a person it no longer accepts is signed out.
    if (!(await this.rechecks.stillAccepted(claimed)))
      throw unauthenticated("Your organisation's identity provider no longer accepts this account: sign in again", {
        signInAgain: true,
      });
    const user = await (await this.db.em()).findOneByOrFail(User, { id: claimed.user_id });
    await this.db.actAs({
      userId: claimed.user_id,
      organisationId: claimed.organisation_id,
      isPlatformAdmin: user.isPlatformAdmin,
    });
    const em = await this.db.em();
    const session = await em.findOneByOrFail(Session, { id: claimed.session_id });
    const actor = await this.actors.resolve(
      { sub: session.userId, sid: session.id, org: session.organisationId },
      true,
    );
    if (!actor) throw unauthenticated('Session is no longer valid');
    session.expiresAt = this.refreshExpiry();
    await em.update(Session, session.id, { expiresAt: session.expiresAt });
    await this.audit.record({ action: 'sessionRefreshed', objectType: 'Session', objectId: session.id });
    return this.issueTokens(em, session);
  }

  /**
   * Marks the token used (auth_claim_refresh_token, atomic: of two concurrent refreshes exactly one
   * wins) in its own committed transaction. A token already used means it was copied: the function
   * has revoked the whole family, attacker and victim alike, and that must outlive this failed request.
   */
  private async claimRefreshToken(token: string): Promise<ClaimedToken> {
    const claimed = await this.db.autonomous(async (em) => {
      const row = await this.auth.claimRefreshToken(em, sha256(token));
      if (row?.reused) {
        await this.audit.record(
          {
            action: 'refreshTokenReused',
            objectType: 'Session',
            objectId: row.session_id,
            actor: { userId: null, organisationId: null },
          },
          em,
        );
      }
      return row;
    });
    if (!claimed || claimed.reused) {
      this.actors.forget();
      throw unauthenticated('Invalid refresh token');
    }
    return claimed;
  }

  /**
   * The caller proves their password again to open, for this session, what only the password opens
   * (case handlers' keys, after they went idle or the server restarted). Same gate as a login, so
   * guesses count and lock; a refusal is BAD_USER_INPUT, not the end of the session.
   */
  async unlockWithPassword(actor: Actor, password: string, address: string | undefined): Promise<boolean> {
    const em = await this.db.em();
    const user = await em.findOneByOrFail(User, { id: actor.userId });
    try {
      await this.gate.pass(em, user.email, user, { password, address, withinSession: true });
    } catch (err) {
      if (err instanceof AppError && err.extensions.code === ErrorCode.UNAUTHENTICATED)
        throw badInput(err.message === 'Invalid credentials' ? 'Wrong password' : err.message, 'password');
      throw err;
    }
    const { userId, organisationId, sessionId } = actor;
    await this.sessionSecrets.opened({ userId, organisationId, sessionId, password });
    return true;
  }

  async logout(actor: Actor): Promise<boolean> {
    await this.revoke(await this.db.em(), { id: actor.sessionId }, 'logout');
    return true;
  }

  async logoutEverywhere(actor: Actor): Promise<boolean> {
    await this.revoke(await this.db.em(), { userId: actor.userId }, 'logout everywhere');
    return true;
  }

  async sessions(actor: Actor): Promise<SessionView[]> {
    return (await this.auth.liveSessions(actor.userId)).map((s) => ({
      id: s.id,
      organisation: s.organisation_id ? { id: s.organisation_id, name: s.name ?? '' } : null,
      createdAt: s.created_at,
      expiresAt: s.expires_at,
      current: s.id === actor.sessionId,
    }));
  }

  /** Ends one of the caller's own live sessions (another device, say); anyone else's is NOT_FOUND. */
  async endSession(actor: Actor, id: string): Promise<boolean> {
    const ended = await this.revoke(await this.db.em(), { id, userId: actor.userId }, 'ended by its user');
    if (!ended.length) throw notFound('Session');
    return true;
  }

  /** Ends the live sessions matching `match`; their access tokens die with them. Returns their ids. */
  async revoke(em: EntityManager, match: SessionMatch, reason: string): Promise<string[]> {
    this.actors.forget();
    const ended = await this.auth.revokeSessions(em, match, reason);
    this.sessionSecrets.ended(ended);
    return ended;
  }

  /**
   * A person who lost every second factor starts again: their passkeys and TOTP are gone and their
   * sessions end. Their password (if any) then signs them in, to add new ones.
   */
  async resetFactors(em: EntityManager, userId: string): Promise<void> {
    await em.delete(Passkey, { userId });
    await em.update(User, userId, { totpSecret: null, totpPendingSecret: null, totpLastStep: null });
    await this.revoke(em, { userId }, 'sign-in factors reset');
  }

  async enrolTotp(actor: Actor): Promise<TotpEnrolment> {
    const em = await this.db.em();
    const user = await em.findOneByOrFail(User, { id: actor.userId });
    if (user.totpSecret) throw conflict('TOTP is already enabled');
    const { secret, sealed, otpauthUrl } = this.totp.newSecret(user.email);
    await em.update(User, user.id, { totpPendingSecret: sealed });
    return { secret, otpauthUrl };
  }

  async confirmTotp(actor: Actor, code: string): Promise<boolean> {
    const em = await this.db.em();
    const user = await em.findOneByOrFail(User, { id: actor.userId });
    if (user.totpSecret) throw conflict('TOTP is already enabled');
    if (!user.totpPendingSecret) throw badInput('Call enrolTotp first', 'code');
    const step = await this.totp.check(user.totpPendingSecret, code, null);
    if (step === null) throw badInput('The code does not match', 'code');
    await em.update(User, user.id, {
      totpSecret: user.totpPendingSecret,
      totpPendingSecret: null,
      totpLastStep: String(step),
    });
    this.actors.forget();
    return true;
  }

  /** Sliding: each refresh moves it; a session left idle longer (SESSION_IDLE_MINUTES, if shorter) ends. */
  private refreshExpiry(): Date {
    const ttl = this.config.REFRESH_TOKEN_TTL_DAYS * 86_400_000;
    const idle = this.config.SESSION_IDLE_MINUTES ? this.config.SESSION_IDLE_MINUTES * 60_000 : ttl;
    return new Date(Date.now() + Math.min(ttl, idle));
  }

  private async issueTokens(em: EntityManager, session: Session): Promise<AuthSession> {
    const refreshToken = randomToken();
    await em.insert(RefreshToken, {
      sessionId: session.id,
      tokenHash: sha256(refreshToken),
      expiresAt: session.expiresAt,
    });
    const claims: AccessTokenClaims = { sub: session.userId, sid: session.id, org: session.organisationId };
    const accessToken = await this.jwt.signAsync(claims);
    const organisation = session.organisationId
      ? ((await this.auth.organisationRef(session.organisationId)) ?? null)
      : null;
    return {
      accessToken,
      refreshToken,
      accessTokenExpiresAt: new Date(Date.now() + this.config.ACCESS_TOKEN_TTL_SECONDS * 1000),
      refreshTokenExpiresAt: session.expiresAt,
      organisation,
    };
  }
}
