import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Response } from 'express';
import type { Actor } from '../common/actor';
import { badInput, conflict, forbidden, notFound } from '../common/errors';
import { organisationIdentity } from '../common/request-context';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DatabaseService } from '../database/database.service';
import { AbilityFactory } from '../sharing/ability.factory';
import { canOn } from '../sharing/ability-sql';
import { BeginSignInArgs, IdentityProviderInput, SignInMethod, SignInStep } from './dto/identity-provider.types';
import { FederatedSignInService } from './federated-sign-in.service';
import { ClientAuth, IdentityProvider } from './identity-provider.entity';
import { IdentityProvidersRepository } from './identity-providers.repository';
import { Organisation } from '../organisations/organisation.entity';
import { ProviderClients } from './provider-clients';

const WHO = 'Only organisation admins configure its identity provider';

/**
 * Organisations' identity providers as people manage them: an organisation admin configures its own
 * (and tests it), a platform admin approves it before anyone signs in through it, and the login page
 * asks which way an e-mail address signs in.
 */
@Injectable()
export class IdentityProvidersService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: DatabaseService,
    private readonly providers: IdentityProvidersRepository,
    private readonly clients: ProviderClients,
    private readonly signIns: FederatedSignInService,
    private readonly abilities: AbilityFactory,
  ) {}

  /** The login page's first step: password, or the organisation's provider (the answer says where to go). */
  async beginSignIn({ email, returnTo }: BeginSignInArgs, res: Response): Promise<SignInStep> {
    const match = await this.signIns.providerFor(email);
    if (!match) return { method: SignInMethod.PASSWORD, redirectUrl: null, organisationName: null };
    await this.db.actAs(organisationIdentity(match.organisation_id));
    const provider = await this.providers.get(match.id);
    if (!provider) return { method: SignInMethod.PASSWORD, redirectUrl: null, organisationName: null };
    const redirectUrl = await this.signIns.begin(provider, { loginHint: email.trim(), returnTo }, res);
    return { method: SignInMethod.IDENTITY_PROVIDER, redirectUrl, organisationName: match.organisation_name };
  }

  async own(actor: Actor): Promise<IdentityProvider | null> {
    return this.providers.own(await this.adminOf(actor, 'read'));
  }

  /**
   * Saves the organisation's provider. A change of who may enter (issuer, client, domains, the claim
   * vouching for e-mails) needs a platform admin's approval again; roles, scopes and the secret do not.
   */
  async save(actor: Actor, input: IdentityProviderInput): Promise<IdentityProvider> {
    const organisationId = await this.adminOf(actor, 'update');
    const existing = await this.providers.own(organisationId);
    const issuer = this.issuerOf(input.issuer);
    const clientId = input.clientId.trim();
    const domains = [...new Set(input.domains.map((d) => d.toLowerCase()))];
    const joinDomains = [...new Set(input.joinDomains.map((d) => d.toLowerCase()))];
    if (joinDomains.some((d) => !domains.includes(d)))
      throw badInput('Every domain whose people may join must be one of the domains it answers for', 'joinDomains');
    const secretAuth = input.clientAuth !== ClientAuth.private_key_jwt;
    if (secretAuth && !input.clientSecret && !existing?.clientSecretSealed)
      throw badInput('A client secret is needed for client_secret_basic and client_secret_post', 'clientSecret');
    const roleClaim = input.roleClaim?.trim() || null;
    if (!roleClaim && (input.analystValues.length || input.adminValues.length))
      throw badInput('Name the claim that carries the groups or roles first', 'roleClaim');
    const sameEntry =
      existing &&
      existing.issuer === issuer &&
      existing.clientId === clientId &&
      existing.emailVerifiedClaim === input.emailVerifiedClaim &&
      sameSet(existing.domains, domains) &&
      sameSet(existing.joinDomains, joinDomains);
    // The id is chosen here, so that a new provider's secret is sealed to it in the same write.
    const id = existing?.id ?? randomUUID();
    return this.providers.save({
      id,
      organisationId,
      issuer,
      clientId,
      clientAuth: input.clientAuth,
      scopes: [...new Set(['openid', ...input.scopes])],
      domains,
      joinDomains,
      emailVerifiedClaim: input.emailVerifiedClaim,
      roleClaim,
      analystValues: roleClaim ? input.analystValues : [],
      adminValues: roleClaim ? input.adminValues : [],
      required: input.required,
      ...(existing ? {} : { signingKeySealed: await this.clients.newSigningKey(organisationId) }),
      ...(sameEntry ? {} : { approvedAt: null, approvedBy: null }),
      ...(input.clientSecret && secretAuth ? { clientSecretSealed: this.clients.seal(id, input.clientSecret) } : {}),
    });
  }

  /** Whether the organisation's people must sign in in a way a phishing page cannot relay. */
  async requirePhishingResistant(actor: Actor, required: boolean): Promise<Organisation> {
    const organisationId = actor.organisationId;
    if (
      !organisationId ||
      !canOn(await this.abilities.abilityFor(actor), 'update', 'Organisation', { id: organisationId })
    )
      throw forbidden(WHO);
    const em = await this.db.em();
    await em.update(Organisation, organisationId, { requiresPhishingResistant: required });
    return em.findOneByOrFail(Organisation, { id: organisationId });
  }

  async remove(actor: Actor): Promise<boolean> {
    const organisationId = await this.adminOf(actor, 'delete');
    if (!(await this.providers.remove(organisationId))) throw notFound('Identity provider');
    return true;
  }

  /** Where the admin's browser goes to try a sign-in; the Identity desk shows the outcome after. */
  async test(actor: Actor, res: Response): Promise<string> {
    const provider = await this.providers.own(await this.adminOf(actor, 'update'));
    if (!provider) throw notFound('Identity provider');
    return this.signIns.begin(provider, { testedBy: actor.userId }, res);
  }

  /** For platform admins: every organisation's provider, those awaiting approval first. */
  async all(actor: Actor): Promise<IdentityProvider[]> {
    await this.platformAdmin(actor, 'read');
    return this.providers.all();
  }

  /** A platform admin lets an organisation's people sign in through it; a domain has one provider. */
  async approve(actor: Actor, id: string): Promise<IdentityProvider> {
    const provider = await this.providers.get(id);
    if (!provider) throw notFound('Identity provider');
    await this.platformAdmin(actor, 'approve', provider);
    const taken = await this.providers.claimingDomains(provider.domains, provider.id);
    if (taken.length)
      throw conflict(
        `${taken.map((t) => `${t.domain} (${t.organisation})`).join(', ')} already sign in through another organisation's provider`,
      );
    return (await this.providers.approve(id, actor.userId))!;
  }

  /** Where the provider must send people back, and where its logout and our key set are. */
  endpoints(provider: IdentityProvider) {
    const base = `${this.config.publicUrl}/auth/oidc`;
    return {
      redirectUri: `${base}/callback`,
      backChannelLogoutUri: `${base}/${provider.id}/backchannel-logout`,
      jwksUri: `${base}/${provider.id}/jwks.json`,
    };
  }

  /** The public half of the provider's key for private_key_jwt (public: anyone may fetch a key set). */
  async keySet(id: string): Promise<{ keys: object[] } | null> {
    const provider = await this.signIns.providerBeforeSignIn(id);
    return provider ? { keys: [this.clients.signingKey(provider).publicJwk] } : null;
  }

  private issuerOf(value: string): string {
    let url: URL;
    try {
      url = new URL(value.trim());
    } catch {
      throw badInput('The issuer is a URL such as https://login.example.org/realms/police', 'issuer');
    }
    if (url.protocol !== 'https:' && !(this.config.OIDC_ALLOW_HTTP && url.protocol === 'http:'))
      throw badInput('The issuer must be an https:// URL', 'issuer');
    if (url.search || url.hash) throw badInput('The issuer has no query or fragment', 'issuer');
    return url.href.replace(/\/$/, url.pathname === '/' ? '' : '/').replace(/\/$/, '');
  }

  private async adminOf(actor: Actor, action: 'read' | 'update' | 'delete'): Promise<string> {
    const org = actor.organisationId;
    if (!org || !canOn(await this.abilities.abilityFor(actor), action, 'IdentityProvider', { organisationId: org }))
      throw forbidden(WHO);
    return org;
  }

  private async platformAdmin(actor: Actor, action: 'read' | 'approve', provider: object = {}): Promise<void> {
    if (!canOn(await this.abilities.abilityFor(actor), action, 'IdentityProvider', provider))
      throw forbidden('Only platform administrators approve identity providers');
  }
}

const sameSet = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));
