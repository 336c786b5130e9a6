import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeJwt, exportJWK, generateKeyPair, importJWK, type JWK, type JWTPayload, SignJWT } from 'jose';
import Provider from 'oidc-provider';

/** A person as the provider knows them: their claims (sub is the key of the map). */
export interface TestAccount {
  email?: string;
  email_verified?: boolean;
  name?: string;
  groups?: string[];
}

export interface TestClient {
  client_id: string;
  /** A client secret (client_secret_basic), or else the key set URL of its key (private_key_jwt). */
  client_secret?: string;
  jwks_uri?: string;
  redirect_uri: string;
  backchannel_logout_uri?: string;
}

/**
 * A real OpenID provider (oidc-provider, OpenID Certified) on loopback HTTP for the tests. Sign-in
 * interactions complete at once as the account `signInAs` names, consenting to what was asked, so a
 * test drives the whole authorization code flow over HTTP. `tamper` rewrites the ID token the token
 * endpoint returns, re-signed with the provider's own key, to try the relying party's checks.
 */
export class TestOidcProvider {
  readonly accounts = new Map<string, TestAccount>();
  signInAs = '';
  tamper?: (claims: JWTPayload) => JWTPayload | string;
  provider!: Provider;
  issuer = '';
  private server!: Server;
  private signingKey!: JWK;

  /** Listens, so that the issuer is known; `configure` then registers the clients. */
  async listen(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.issuer = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async configure(clients: TestClient[]): Promise<void> {
    const { privateKey } = await generateKeyPair('RS256', { extractable: true });
    this.signingKey = { ...(await exportJWK(privateKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
    this.provider = new Provider(this.issuer, {
      clients: clients.map((c) => ({
        client_id: c.client_id,
        redirect_uris: [c.redirect_uri],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        ...(c.jwks_uri
          ? {
              token_endpoint_auth_method: 'private_key_jwt',
              token_endpoint_auth_signing_alg: 'ES256',
              jwks_uri: c.jwks_uri,
            }
          : { token_endpoint_auth_method: 'client_secret_basic', client_secret: c.client_secret }),
        ...(c.backchannel_logout_uri
          ? { backchannel_logout_uri: c.backchannel_logout_uri, backchannel_logout_session_required: true }
          : {}),
      })),
      jwks: { keys: [this.signingKey] },
      findAccount: (_ctx, sub) => {
        const account = this.accounts.get(sub);
        return account && { accountId: sub, claims: () => ({ sub, ...account }) };
      },
      claims: {
        openid: ['sub'],
        email: ['email', 'email_verified'],
        profile: ['name'],
        groups: ['groups'],
      },
      scopes: ['openid', 'offline_access', 'email', 'profile', 'groups'],
      conformIdTokenClaims: false,
      features: { devInteractions: { enabled: false }, backchannelLogout: { enabled: true } },
      interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
      cookies: { keys: ['test-provider-cookie-key'] },
      // Lifetimes of its own (the defaults are announced on the console at every use).
      ttl: {
        AccessToken: 3600,
        AuthorizationCode: 60,
        Grant: 86_400,
        IdToken: 3600,
        Interaction: 600,
        RefreshToken: 86_400,
        Session: 86_400,
      },
      // Refresh tokens for every client allowed the grant, offline_access or not.
      issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    });
    this.provider.use(async (ctx, next) => {
      await next();
      const body = ctx.body as { id_token?: string } | undefined;
      if (ctx.path === '/token' && this.tamper && body?.id_token) {
        const forged = this.tamper(decodeJwt(body.id_token));
        body.id_token = typeof forged === 'string' ? forged : await this.sign(forged);
      }
    });
  }

  /** Claims signed with the provider's own key, as its token endpoint would. */
  async sign(claims: JWTPayload): Promise<string> {
    const key = await importJWK(this.signingKey, 'RS256');
    return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: 'test-key' }).sign(key);
  }

  /** The provider's back-channel logout of `sub` (its session `sid`) to the client, as after a logout there. */
  async logout(clientId: string, sub: string, sid: string): Promise<void> {
    // Not in the published types: the method the provider's own end_session calls.
    const client = (await this.provider.Client.find(clientId)) as unknown as {
      backchannelLogout(sub: string, sid: string): Promise<void>;
    };
    await client.backchannelLogout(sub, sid);
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.server.close(resolve));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!req.url?.startsWith('/interaction/')) return this.provider.callback()(req, res);
    const details = await this.provider.interactionDetails(req, res);
    const accountId = this.signInAs;
    const grant = new this.provider.Grant({ accountId, clientId: String(details.params.client_id) });
    grant.addOIDCScope(String(details.params.scope));
    const grantId = await grant.save();
    await this.provider.interactionFinished(
      req,
      res,
      { login: { accountId }, consent: { grantId } },
      { mergeWithLastSubmission: false },
    );
  }
}

/** The test app as these flows need it. */
interface App {
  baseUrl: string;
  config: { publicUrl: string };
}

/** The login page's first step for `email`, as a browser: the answer, its cookie kept in `jar`. */
export async function beginSignIn(
  t: App,
  email: string,
  jar: CookieJar,
): Promise<{ method: string; redirectUrl: string | null }> {
  const res = await fetch(`${t.baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: `mutation($e: String!) { beginSignIn(email: $e) { method redirectUrl } }`,
      variables: { e: email },
    }),
  });
  jar.take(t.config.publicUrl, res);
  return ((await res.json()) as { data: { beginSignIn: { method: string; redirectUrl: string | null } } }).data
    .beginSignIn;
}

/** From the provider's sign-in page to where the console lands the browser (a desk, or the login page). */
export async function throughProvider(t: App, redirectUrl: string, jar: CookieJar): Promise<string> {
  const publicUrl = t.config.publicUrl;
  const landed = await browse(redirectUrl, jar, {
    publicUrl,
    baseUrl: t.baseUrl,
    stopAt: (url) => url.startsWith(publicUrl) && !url.includes('/auth/oidc/'),
  });
  return landed.url;
}

/** What the console's refresh with its cookie answers (the cookie rotates in `jar`). */
export async function refreshWithCookie(
  t: App,
  jar: CookieJar,
): Promise<{ data?: { refreshSession: { accessToken: string } }; errors?: { message: string }[] }> {
  const at = `${t.config.publicUrl}/graphql`;
  const res = await fetch(`${t.baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: jar.header(at) },
    body: JSON.stringify({ query: `mutation { refreshSession { accessToken } }` }),
  });
  jar.take(at, res);
  return (await res.json()) as { data?: { refreshSession: { accessToken: string } }; errors?: { message: string }[] };
}

/**
 * A member of an organisation (an account whose e-mail is in a domain its approved provider answers
 * for) signed in through the provider as `subject`, as a browser would: its tokens.
 */
export async function memberThroughProvider(
  t: App,
  idp: TestOidcProvider,
  user: { email: string },
  subject: string,
): Promise<{ token: string; refreshToken: string }> {
  idp.accounts.set(subject, { email: user.email, email_verified: true });
  idp.signInAs = subject;
  const jar = new CookieJar();
  const { redirectUrl } = await beginSignIn(t, user.email, jar);
  await throughProvider(t, redirectUrl!, jar);
  const body = await refreshWithCookie(t, jar);
  if (!body.data) throw new Error(`no session through the provider for ${user.email}: ${JSON.stringify(body.errors)}`);
  return {
    token: body.data.refreshSession.accessToken,
    refreshToken: jar.get(`${t.config.publicUrl}/graphql`, 'hw_refresh')!,
  };
}

/** Cookies per host, as a browser keeps them (names and values only: enough for these flows). */
export class CookieJar {
  private readonly jars = new Map<string, Map<string, string>>();

  take(url: string, res: Response): void {
    const host = new URL(url).host;
    const jar = this.jars.get(host) ?? new Map<string, string>();
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const [name, ...value] = pair.split('=');
      const expired = attributes.some((a) => /^\s*expires=Thu, 01 Jan 1970/i.test(a));
      if (expired || value.join('=') === '') jar.delete(name.trim());
      else jar.set(name.trim(), value.join('='));
    }
    this.jars.set(host, jar);
  }

  header(url: string): string {
    return [...(this.jars.get(new URL(url).host) ?? new Map<string, string>())].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  get(url: string, name: string): string | undefined {
    return this.jars.get(new URL(url).host)?.get(name);
  }
}

/**
 * Follows redirects like a browser from `url` (cookies kept per host) until an answer that is not a
 * redirect, or a redirect to `stopAt` (not followed); `publicUrl` is rewritten to `baseUrl`, where the
 * test app listens. The last answer and its URL.
 */
export async function browse(
  url: string,
  jar: CookieJar,
  options: { publicUrl: string; baseUrl: string; stopAt?: (url: string) => boolean },
): Promise<{ url: string; res: Response }> {
  let current = url;
  for (let hops = 0; hops < 20; hops++) {
    const target = current.startsWith(options.publicUrl)
      ? options.baseUrl + current.slice(options.publicUrl.length)
      : current;
    const res = await fetch(target, { redirect: 'manual', headers: { cookie: jar.header(current) } });
    jar.take(current, res);
    const location = res.headers.get('location');
    if (res.status < 300 || res.status >= 400 || !location) return { url: current, res };
    const next = new URL(location, current).href;
    if (options.stopAt?.(next)) return { url: next, res };
    current = next;
  }
  throw new Error(`too many redirects from ${url}`);
}
