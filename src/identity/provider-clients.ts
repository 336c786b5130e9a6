import { Inject, Injectable } from '@nestjs/common';
import * as oidc from 'openid-client';
import { exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';
import { SecretBox } from '../common/secret-box';
import { APP_CONFIG, AppConfig } from '../config/config';
import { ClientAuth, IdentityProvider } from './identity-provider.entity';

/** How long a provider's discovered configuration (and its key set) is reused. */
const CONFIGURATION_TTL_MS = 10 * 60_000;
const SIGNING_ALG = 'ES256';

/** The sealed secrets' associated data: a value copied to another provider's row does not open. */
export const clientSecretContext = (id: string) => `identity-provider:${id}:client-secret`;
export const signingKeyContext = (organisationId: string) => `identity-provider:${organisationId}:signing-key`;

/**
 * OpenID Connect clients of the organisations' providers (openid-client: discovery, the authorization
 * code flow with PKCE, token validation, refresh), one per provider and version of its settings: a
 * change takes effect at the next sign-in, on every instance, without a restart.
 */
@Injectable()
export class ProviderClients {
  private readonly box: SecretBox;
  private readonly cache = new Map<string, { at: number; config: Promise<oidc.Configuration> }>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.box = new SecretBox(config.encryptionKeys);
  }

  /** The provider's client, discovered from its issuer (which must answer as that issuer). */
  configuration(provider: IdentityProvider): Promise<oidc.Configuration> {
    const key = `${provider.id}:${provider.updatedAt.getTime()}`;
    const cached = this.cache.get(key);
    if (cached && Date.now() - cached.at < CONFIGURATION_TTL_MS) return cached.config;
    for (const k of this.cache.keys()) if (k.startsWith(`${provider.id}:`)) this.cache.delete(k);
    const config = this.discover(provider);
    // A failed discovery is not kept: the next sign-in tries again.
    config.catch(() => this.cache.delete(key));
    this.cache.set(key, { at: Date.now(), config });
    return config;
  }

  private async discover(provider: IdentityProvider): Promise<oidc.Configuration> {
    const options: oidc.DiscoveryRequestOptions = {
      timeout: this.config.OIDC_TIMEOUT_SECONDS,
      ...(this.config.OIDC_ALLOW_HTTP ? { execute: [oidc.allowInsecureRequests] } : {}),
    };
    const issuer = new URL(provider.issuer);
    if (provider.clientAuth === ClientAuth.private_key_jwt) {
      const { privateJwk } = this.signingKey(provider);
      const key = (await importJWK(privateJwk, SIGNING_ALG)) as oidc.CryptoKey;
      return oidc.discovery(
        issuer,
        provider.clientId,
        undefined,
        oidc.PrivateKeyJwt({ key, kid: privateJwk.kid }),
        options,
      );
    }
    const secret = provider.clientSecretSealed
      ? this.box.open(provider.clientSecretSealed, clientSecretContext(provider.id))
      : undefined;
    const auth =
      provider.clientAuth === ClientAuth.client_secret_basic
        ? oidc.ClientSecretBasic(secret)
        : oidc.ClientSecretPost(secret);
    return oidc.discovery(issuer, provider.clientId, secret, auth, options);
  }

  seal(providerId: string, clientSecret: string): string {
    return this.box.seal(clientSecret, clientSecretContext(providerId));
  }

  /** A new key pair for private_key_jwt, sealed; the public half is served from the provider's JWKS URL. */
  async newSigningKey(organisationId: string): Promise<string> {
    const { privateKey } = await generateKeyPair(SIGNING_ALG, { extractable: true });
    const jwk = await exportJWK(privateKey);
    const kid = `hw-${Date.now().toString(36)}`;
    return this.box.seal(JSON.stringify({ ...jwk, kid, alg: SIGNING_ALG }), signingKeyContext(organisationId));
  }

  /** The provider's key pair: the private half signs client assertions, the public half is published. */
  signingKey(provider: Pick<IdentityProvider, 'organisationId' | 'signingKeySealed'>): {
    privateJwk: JWK;
    publicJwk: JWK;
  } {
    const privateJwk = JSON.parse(
      this.box.open(provider.signingKeySealed, signingKeyContext(provider.organisationId)),
    ) as JWK;
    const { d: _private, ...publicJwk } = privateJwk;
    return { privateJwk, publicJwk: { ...publicJwk, use: 'sig' } };
  }
}
