import { Inject, Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { timingSafeEqual } from 'node:crypto';
import type { CookieOptions, Request, Response } from 'express';
import * as oidc from 'openid-client';
import { EntityManager } from 'typeorm';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { AuditService } from '../audit/audit.service';
import type { ClaimedToken } from '../auth/auth.repository';
import { AuthService } from '../auth/auth.service';
import type { AuthSession } from '../auth/dto/auth.types';
import { ProviderRechecks } from '../auth/provider-recheck';
import { inCookie } from '../auth/refresh-cookie';
import { Session } from '../auth/session.entity';
import { User, UserStatus } from '../auth/user.entity';
import { ActorService } from '../auth/actor.service';
import { AppError, unavailable } from '../common/errors';
import { MemberRole, OrganisationStatus } from '../common/organisation-type';
import { memberIdentity, organisationIdentity } from '../common/request-context';
import { randomToken, SecretBox, sha256 } from '../common/secret-box';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DatabaseService } from '../database/database.service';
import { Invitation } from '../organisations/invitation.entity';
import { MembersRepository } from '../organisations/members.repository';
import { Membership } from '../organisations/membership.entity';
import { Organisation } from '../organisations/organisation.entity';
import { memberJoinedMail } from '../outbox/mail-templates';
import { MailService } from '../outbox/mail.service';
import { OutboxService } from '../outbox/outbox.service';
import { QUEUE } from '../outbox/outbox-queues';
import { consolePath } from '../shared/console-routes';
import { IdentityProvider, StoredTest } from './identity-provider.entity';
import { IdentityProvidersRepository } from './identity-providers.repository';
import { ProviderClients } from './provider-clients';
import { roleFromClaims } from './role-mapping';

/** Why a sign-in through a provider ended without a session: the login page says it in words. */
export type SignInRefusal =
  'expired' | 'refused' | 'unverified' | 'domain' | 'notMember' | 'suspended' | 'unavailable' | 'phishingResistant';

class Refused extends Error {
  constructor(
    readonly reason: SignInRefusal,
    detail: string,
  ) {
    super(detail);
  }
}

const REFUSAL_WORDS: Record<SignInRefusal, string> = {
  expired: 'The sign-in took too long, was already used or began in another browser',
  refused: 'The identity provider refused the sign-in, or its answer did not check out',
  unverified: 'The identity provider did not vouch for the e-mail address (email_verified)',
  domain: 'The e-mail address is not in a domain this provider answers for',
  notMember: 'The person is neither a member, nor invited, nor of a domain whose people may join',
  suspended: 'The account or the organisation is suspended',
  unavailable: 'The identity provider did not answer',
  phishingResistant: 'The organisation requires a passkey or security key, and the provider did not say one was used',
};

/**
 * Whether the provider says the person signed in with a phishing-resistant factor: RFC 8176's
 * `hwk` (a hardware-bound key) or `pop` (proof of possession of a key), or `fido` as Entra ID and
 * Keycloak name a passkey or security key.
 */
const phishingResistant = (claims: oidc.IDToken) =>
  Array.isArray(claims.amr) && claims.amr.some((m) => typeof m === 'string' && ['hwk', 'pop', 'fido'].includes(m));

/** How long an authorization request may take, from the login page back to the callback. */
const SIGN_IN_TTL_MS = 10 * 60_000;
const CALLBACK_PATH = '/auth/oidc/callback';
/** The browser that began a sign-in: only it may finish it (a link to the callback is no use to anyone else). */
const browserCookie = (stateHash: Buffer) => `hw_oidc_${stateHash.subarray(0, 8).toString('hex')}`;
const BROWSER_COOKIE: CookieOptions = { httpOnly: true, secure: true, sameSite: 'lax', path: '/auth/oidc' };
const BACKCHANNEL_LOGOUT_EVENT = 'http://schemas.openid.net/event/backchannel-logout';

const verifierContext = (stateHash: Buffer) => `oidc-sign-in:${stateHash.toString('hex')}`;
export const refreshContext = (providerId: string, subject: string) => `oidc-refresh:${providerId}:${subject}`;

/**
 * Signing in through an organisation's own OpenID Connect provider (openid-client does the protocol):
 * 1. `begin`: the e-mail's domain names an approved provider; an authorization request with PKCE,
 *    state and nonce is kept (one use, ten minutes, bound to the browser by a cookie);
 * 2. `callback`: openid-client checks the response (issuer, state) and the ID token (signature,
 *    issuer, audience, expiry, nonce); the e-mail must be verified and in the provider's domains; the
 *    person enters the provider's organisation only, never another: as a member, by an invitation,
 *    or at their first sign-in by a domain whose people may join. The claims set the role when the
 *    provider maps them. Platform administrators never sign in this way.
 * 3. afterwards: at a refresh, once OIDC_RECHECK_MINUTES have passed, the provider is asked again
 *    (refresh token grant) and a person it refuses is signed out; its back-channel logout ends the
 *    sessions it names.
 */
@Injectable()
export class FederatedSignInService implements OnModuleInit {
  private readonly logger = new Logger(FederatedSignInService.name);
  private readonly box: SecretBox;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DatabaseService,
    private readonly providers: IdentityProvidersRepository,
    private readonly clients: ProviderClients,
    private readonly auth: AuthService,
    private readonly actors: ActorService,
    private readonly members: MembersRepository,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly mail: MailService,
    private readonly rechecks: ProviderRechecks,
  ) {
    this.box = new SecretBox(config.encryptionKeys);
  }

  async onModuleInit(): Promise<void> {
    this.rechecks.register({ stillAccepted: (claimed) => this.stillAccepted(claimed) });
    await this.outbox.work<{ userId: string; organisationId: string }>(QUEUE.memberJoined, (job) =>
      this.tellAdmins(job),
    );
  }

  /** The approved provider answering for the e-mail's domain, if any (before anyone is authenticated). */
  async providerFor(email: string): Promise<{ id: string; organisation_id: string; organisation_name: string } | null> {
    const domain = email.trim().split('@').pop()!.toLowerCase();
    const matches = await this.providers.forDomain(domain);
    // Two approved providers for one domain cannot be (approval refuses it); if they were, neither decides.
    return matches.length === 1 ? matches[0] : null;
  }

  /**
   * A provider named by its id alone, before anyone is authenticated (its logout, its key set): read as
   * its organisation, which the id names through a SECURITY DEFINER function.
   */
  async providerBeforeSignIn(id: string): Promise<IdentityProvider | null> {
    const organisationId = await this.providers.organisationOf(id);
    if (!organisationId) return null;
    return this.db.withRequest({ identity: organisationIdentity(organisationId) }, () => this.providers.get(id));
  }

  /**
   * Starts an authorization request at the provider, for a sign-in or, with `testedBy`, an admin's
   * test; the answer is where the browser goes next. Acts as the provider's organisation.
   */
  async begin(
    provider: IdentityProvider,
    options: { loginHint?: string; returnTo?: string; testedBy?: string },
    res: Response,
  ): Promise<string> {
    const config = await this.clients.configuration(provider);
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const verifier = oidc.randomPKCECodeVerifier();
    const browser = randomToken();
    const stateHash = sha256(state);
    await this.providers.begin(
      await this.db.em(),
      stateHash,
      {
        identity_provider_id: provider.id,
        organisation_id: provider.organisationId,
        browser_hash: sha256(browser),
        nonce,
        code_verifier_sealed: this.box.seal(verifier, verifierContext(stateHash)),
        return_to: options.returnTo ?? null,
        tested_by: options.testedBy ?? null,
      },
      SIGN_IN_TTL_MS,
    );
    res.cookie(browserCookie(stateHash), browser, { ...BROWSER_COOKIE, maxAge: SIGN_IN_TTL_MS });
    const scope = [...new Set(['openid', ...provider.scopes])].join(' ');
    return oidc.buildAuthorizationUrl(config, {
      redirect_uri: this.redirectUri(),
      scope,
      state,
      nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      ...(options.loginHint ? { login_hint: options.loginHint } : {}),
      // A test asks the provider to sign in afresh: the admin may try as someone else.
      ...(options.testedBy ? { prompt: 'login' } : {}),
    }).href;
  }

  /**
   * The provider's answer. A sign-in ends with the session's refresh cookie and the console; a refusal
   * with the login page saying why; a test with the Identity desk showing what happened.
   */
  async callback(req: Request, res: Response): Promise<void> {
    const url = new URL(req.originalUrl, this.config.publicUrl);
    const state = url.searchParams.get('state') ?? '';
    const stateHash = sha256(state);
    res.clearCookie(browserCookie(stateHash), BROWSER_COOKIE);
    const pending = state ? await this.db.autonomous((em) => this.providers.take(em, stateHash)) : undefined;
    const browser = req.cookies?.[browserCookie(stateHash)] as unknown;
    if (!pending || typeof browser !== 'string' || !timingSafeEqual(sha256(browser), pending.browser_hash))
      return this.refuse(res, new Refused('expired', 'no such authorization request in this browser'));
    const identity = organisationIdentity(pending.organisation_id);
    let provider: IdentityProvider | null = null;
    try {
      provider = await this.db.withRequest({ identity }, () => this.providers.get(pending.identity_provider_id));
      if (!provider || (!provider.approvedAt && !pending.tested_by))
        throw new Refused('refused', 'the provider is gone or not approved');
      const tokens = await this.exchange(provider, url, {
        pkceCodeVerifier: this.box.open(pending.code_verifier_sealed, verifierContext(stateHash)),
        expectedState: state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      const claims = tokens.claims()!;
      const email = this.verifiedEmail(provider, claims);
      const known = provider;
      if (pending.tested_by) {
        await this.db.withRequest({ identity }, async () => this.entry(await this.db.em(), known, claims, email));
        return this.testDone(res, provider, pending.tested_by, {
          admitted: true,
          email,
          role: roleFromClaims(provider, claims),
        });
      }
      const session = await this.db.withRequest({ identity }, () => this.admit(known, claims, email, tokens));
      inCookie(res, session);
      res.redirect(303, `${this.config.publicUrl}${pending.return_to ?? consolePath('feed')}`);
    } catch (err) {
      const refusal = err instanceof Refused ? err : this.refusalOf(err);
      if (pending.tested_by && provider)
        return this.testDone(res, provider, pending.tested_by, { admitted: false, refusal });
      return this.refuse(res, refusal);
    }
  }

  /**
   * OpenID Connect Back-Channel Logout 1.0: the provider posts a logout token (a JWT it signed, for
   * our client, naming a subject or its session); the sessions it began for them end. Any problem is
   * a 400, as the specification asks, and ends nothing.
   */
  async backChannelLogout(providerId: string, logoutToken: unknown): Promise<boolean> {
    if (typeof logoutToken !== 'string') return false;
    const provider = await this.providerBeforeSignIn(providerId);
    if (!provider?.approvedAt) return false;
    const organisationId = provider.organisationId;
    const identity = organisationIdentity(organisationId);
    const config = await this.clients.configuration(provider);
    const metadata = config.serverMetadata();
    if (!metadata.jwks_uri) return false;
    try {
      const { payload } = await jwtVerify(logoutToken, this.keySet(metadata.jwks_uri), {
        issuer: metadata.issuer,
        audience: provider.clientId,
        maxTokenAge: '5 minutes',
        requiredClaims: ['iat', 'jti'],
      });
      const events = payload.events as Record<string, unknown> | undefined;
      const sid = typeof payload.sid === 'string' ? payload.sid : null;
      if (!events || typeof events[BACKCHANNEL_LOGOUT_EVENT] !== 'object' || 'nonce' in payload) return false;
      if (!payload.sub && !sid) return false;
      await this.db.withRequest({ identity }, async () => {
        const ended = await this.auth.revoke(
          await this.db.em(),
          {
            identityProviderId: provider.id,
            ...(payload.sub ? { idpSubject: payload.sub } : {}),
            ...(sid ? { idpSessionId: sid } : {}),
          },
          "identity provider's logout",
        );
        await this.audit.record({
          action: 'identityProviderLogout',
          objectType: 'IdentityProvider',
          objectId: provider.id,
          subjectOrganisationId: provider.organisationId,
          details: { sessionsEnded: ended.length },
          actor: { userId: null, organisationId },
        });
      });
      return true;
    } catch (err) {
      this.logger.warn(`back-channel logout for provider ${providerId} refused: ${String(err)}`);
      return false;
    }
  }

  /**
   * At a refresh (ProviderRechecks): a session begun through a provider, last asked more than
   * OIDC_RECHECK_MINUTES ago, asks it again. Refused, or no refresh token to ask with: the person's
   * sessions from it end. Accepted: the role follows the claims. Unreachable: UNAVAILABLE, nothing ends.
   */
  private async stillAccepted(claimed: ClaimedToken): Promise<boolean> {
    if (!claimed.organisation_id) return true;
    const identity = memberIdentity(claimed.user_id, claimed.organisation_id);
    const due = await this.db.withRequest({ identity }, async () => {
      const session = await (await this.db.em()).findOneBy(Session, { id: claimed.session_id });
      if (!session?.identityProviderId || !session.idpSubject) return null;
      const recheckMs = this.config.OIDC_RECHECK_MINUTES * 60_000;
      if (session.idpCheckedAt && Date.now() - session.idpCheckedAt.getTime() < recheckMs) return null;
      const provider = await this.providers.get(session.identityProviderId);
      return { session, provider };
    });
    if (!due) return true;
    const { session, provider } = due;
    const subject = session.idpSubject!;
    let tokens: Awaited<ReturnType<typeof oidc.refreshTokenGrant>> | null = null;
    if (provider?.approvedAt && session.idpRefreshSealed) {
      try {
        const config = await this.clients.configuration(provider);
        tokens = await oidc.refreshTokenGrant(
          config,
          this.box.open(session.idpRefreshSealed, refreshContext(provider.id, subject)),
        );
      } catch (err) {
        if (!(err instanceof oidc.ResponseBodyError)) {
          this.logger.warn(`identity provider ${provider.id} unreachable at refresh: ${String(err)}`);
          throw unavailable("Your organisation's identity provider does not answer: try again in a moment");
        }
      }
    }
    return this.db.withRequest({ identity }, async () => {
      const em = await this.db.em();
      if (!tokens || !provider) {
        await this.auth.revoke(
          em,
          { identityProviderId: session.identityProviderId, idpSubject: subject },
          'identity provider no longer accepts',
        );
        await this.audit.record({
          action: 'identityProviderRefused',
          objectType: 'Session',
          objectId: session.id,
          actor: { userId: session.userId, organisationId: session.organisationId },
        });
        return false;
      }
      await em.update(Session, session.id, {
        idpCheckedAt: new Date(),
        ...(tokens.refresh_token
          ? { idpRefreshSealed: this.box.seal(tokens.refresh_token, refreshContext(provider.id, subject)) }
          : {}),
      });
      const claims = tokens.claims() ?? (await this.userInfo(provider, tokens.access_token, subject));
      const role = roleFromClaims(provider, claims);
      if (role) await this.applyRole(provider, session.userId, role);
      return true;
    });
  }

  private async userInfo(provider: IdentityProvider, accessToken: string, subject: string) {
    return oidc.fetchUserInfo(await this.clients.configuration(provider), accessToken, subject);
  }

  /** The ID token's e-mail, if the provider vouches for it and it is in one of its domains. */
  private verifiedEmail(provider: IdentityProvider, claims: oidc.IDToken): string {
    if (typeof claims.email !== 'string' || claims[provider.emailVerifiedClaim] !== true)
      throw new Refused('unverified', `no e-mail vouched for by ${provider.emailVerifiedClaim} in the ID token`);
    const email = claims.email.trim().toLowerCase();
    const domain = email.split('@').pop()!;
    if (!provider.domains.includes(domain))
      throw new Refused('domain', `the e-mail's domain ${domain} is not the provider's`);
    return email;
  }

  /**
   * Who the provider's person is here and how they enter its organisation, reading only: an existing
   * member, someone invited, or at their first sign-in someone of a domain whose people join. Nobody
   * else, no other organisation, no platform administrator (their powers never come from an
   * organisation's provider), and nobody of a suspended organisation or account. A test sign-in and a
   * real one decide alike. Runs as the provider's organisation.
   */
  private async entry(
    em: EntityManager,
    provider: IdentityProvider,
    claims: oidc.IDToken,
    email: string,
  ): Promise<{ user: User | null; linked: boolean; membership: Membership | null; invitation: Invitation | null }> {
    const organisationId = provider.organisationId;
    const organisation = await em.findOneBy(Organisation, { id: organisationId });
    if (organisation?.status !== OrganisationStatus.ACTIVE) throw new Refused('suspended', 'organisation suspended');
    const linked = await this.providers.linkedUser(em, provider.id, claims.sub);
    const user = linked ? await em.findOneBy(User, { id: linked }) : await em.findOne(User, { where: { email } });
    if (user && user.status !== UserStatus.ACTIVE) throw new Refused('suspended', 'account disabled');
    if (user?.isPlatformAdmin) throw new Refused('refused', 'platform administrators do not sign in through an IdP');
    const membership = user ? await em.findOneBy(Membership, { organisationId, userId: user.id }) : null;
    const invitation = membership ? null : await this.invitationFor(email);
    // Joining by domain is for a first sign-in: someone who signed in before and was removed since
    // comes back only by an invitation.
    const joins = !linked && provider.joinDomains.includes(email.split('@').pop()!);
    if (!membership && !invitation && !joins)
      throw new Refused('notMember', `${email} is not a member of ${organisationId}`);
    return { user, linked: !!linked, membership, invitation };
  }

  /**
   * The person's session in the provider's organisation, as `entry` admits them: a membership made for
   * someone invited (the invitation accepted) or joining by domain (MEMBER unless the claims map
   * otherwise; audited, the admins told), the role the claims give, the link to their subject.
   */
  private async admit(
    provider: IdentityProvider,
    claims: oidc.IDToken,
    email: string,
    tokens: oidc.TokenEndpointResponse,
  ): Promise<AuthSession> {
    const em = await this.db.em();
    const organisationId = provider.organisationId;
    const { user: known, membership, invitation } = await this.entry(em, provider, claims, email);
    const user =
      known ??
      (await em.save(
        em.create(User, {
          email,
          displayName: (typeof claims.name === 'string' && claims.name.trim().slice(0, 200)) || email,
          passwordHash: null,
        }),
      ));
    const mapped = roleFromClaims(provider, claims);
    if (!membership) {
      const role = mapped ?? invitation?.role ?? MemberRole.MEMBER;
      await this.members.addMembership(organisationId, user.id, role);
      if (invitation) await em.update(Invitation, invitation.id, { acceptedAt: new Date() });
      await this.audit.record({
        action: invitation ? 'acceptInvitation' : 'joinedThroughIdentityProvider',
        objectType: invitation ? 'Invitation' : 'Membership',
        objectId: invitation?.id ?? user.id,
        subjectOrganisationId: organisationId,
        details: { identityProviderId: provider.id, role },
        actor: { userId: user.id, organisationId },
      });
      if (!invitation)
        await this.outbox.enqueue(em, QUEUE.memberJoined, [{ data: { userId: user.id, organisationId } }]);
    } else if (mapped && mapped !== membership.role) {
      await this.applyRole(provider, user.id, mapped);
    }
    await this.db.actAs({ userId: user.id, organisationId, isPlatformAdmin: user.isPlatformAdmin });
    await this.providers.link(em, provider.id, claims.sub, user.id);
    return this.auth.startSession(user.id, organisationId, {
      identityProvider: {
        id: provider.id,
        subject: claims.sub,
        sessionId: typeof claims.sid === 'string' ? claims.sid : null,
        refreshTokenSealed: tokens.refresh_token
          ? this.box.seal(tokens.refresh_token, refreshContext(provider.id, claims.sub))
          : null,
        phishingResistant: phishingResistant(claims),
      },
    });
  }

  /** A live invitation of the acting organisation for `email`. */
  private async invitationFor(email: string): Promise<Invitation | null> {
    return (await this.db.em())
      .createQueryBuilder(Invitation, 'i')
      .where('lower(i.email) = :email AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > now()', {
        email,
      })
      .orderBy('i.created_at', 'DESC')
      .getOne();
  }

  /** The role the provider's claims give, applied to the membership (audited). */
  private async applyRole(provider: IdentityProvider, userId: string, role: MemberRole): Promise<void> {
    const em = await this.db.em();
    const membership = await em.findOneBy(Membership, { organisationId: provider.organisationId, userId });
    if (!membership || membership.role === role) return;
    await em.update(Membership, { organisationId: provider.organisationId, userId }, { role });
    this.actors.forget();
    await this.audit.record({
      action: 'roleFromIdentityProvider',
      objectType: 'Membership',
      objectId: userId,
      subjectOrganisationId: provider.organisationId,
      details: { from: membership.role, to: role, identityProviderId: provider.id },
      actor: { userId: null, organisationId: provider.organisationId },
    });
  }

  private async exchange(provider: IdentityProvider, url: URL, checks: oidc.AuthorizationCodeGrantChecks) {
    const config = await this.clients.configuration(provider);
    // The redirect URI the provider knows, whatever proxy the request came through.
    const current = new URL(this.redirectUri());
    current.search = url.search;
    return oidc.authorizationCodeGrant(config, current, checks);
  }

  private refusalOf(err: unknown): Refused {
    if (err instanceof AppError && err.extensions.phishingResistantRequired)
      return new Refused('phishingResistant', err.message);
    if (err instanceof oidc.AuthorizationResponseError || err instanceof oidc.ResponseBodyError)
      return new Refused('refused', `${err.error}: ${err.error_description ?? ''}`);
    if (err instanceof oidc.ClientError) return new Refused('refused', err.message);
    // fetch's own failures: the provider did not answer (refused, unreachable, too slow).
    if ((err instanceof TypeError && err.message === 'fetch failed') || (err as Error)?.name === 'TimeoutError')
      return new Refused('unavailable', String(err));
    this.logger.error(err);
    return new Refused('refused', String(err));
  }

  private refuse(res: Response, refusal: Refused): void {
    this.logger.warn(`sign-in through an identity provider refused (${refusal.reason}): ${refusal.message}`);
    res.redirect(303, `${this.config.publicUrl}${consolePath('login')}?signInError=${refusal.reason}`);
  }

  private async testDone(
    res: Response,
    provider: IdentityProvider,
    testedBy: string,
    outcome: { admitted: boolean; email?: string; role?: MemberRole | null; refusal?: Refused },
  ): Promise<void> {
    const test: StoredTest = {
      at: new Date().toISOString(),
      admitted: outcome.admitted,
      email: outcome.email ?? null,
      role: outcome.admitted ? (outcome.role ?? MemberRole.MEMBER) : null,
      reason: outcome.refusal ? REFUSAL_WORDS[outcome.refusal.reason] : null,
    };
    await this.db.withRequest({ identity: memberIdentity(testedBy, provider.organisationId) }, async () => {
      await this.providers.recordTest(provider.id, test);
      await this.audit.record({
        action: 'testIdentityProvider',
        objectType: 'IdentityProvider',
        objectId: provider.id,
        subjectOrganisationId: provider.organisationId,
        details: { admitted: test.admitted },
        actor: { userId: testedBy, organisationId: provider.organisationId },
      });
    });
    res.redirect(303, `${this.config.publicUrl}${consolePath('identity')}?tested=1`);
  }

  private redirectUri(): string {
    return `${this.config.publicUrl}${CALLBACK_PATH}`;
  }

  private readonly keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();
  private keySet(uri: string) {
    let set = this.keySets.get(uri);
    if (!set) this.keySets.set(uri, (set = createRemoteJWKSet(new URL(uri))));
    return set;
  }

  /** Tells the organisation's admins who joined through its provider (after the sign-in committed). */
  private tellAdmins(job: { userId: string; organisationId: string }): Promise<void> {
    return this.db.withRequest({ identity: organisationIdentity(job.organisationId) }, async () => {
      const em = await this.db.em();
      const [user, organisation, membership] = await Promise.all([
        em.findOneBy(User, { id: job.userId }),
        em.findOneBy(Organisation, { id: job.organisationId }),
        em.findOneBy(Membership, job),
      ]);
      if (!user || !organisation || !membership) return;
      const content = memberJoinedMail({
        organisation: organisation.name,
        email: user.email,
        role: membership.role,
        link: `${this.config.publicUrl}${consolePath('identity')}`,
      });
      for (const admin of await this.members.admins(job.organisationId)) {
        if (admin.user_id === job.userId) continue;
        await this.mail.send({
          to: admin.email,
          messageId: `<member-joined-${job.organisationId}-${job.userId}-${admin.user_id}@harbourwatch>`,
          ...content,
        });
      }
    });
  }
}
