/**
 * Signing in through an organisation's own OpenID provider (issue 28), against a real provider
 * (oidc-provider) started here: the authorization code flow with PKCE end to end, each check of the
 * answer (issuer, audience, expiry, replay, email_verified, state, another organisation's provider),
 * joiners by domain, leavers at the next refresh, back-channel logout and roles from claims.
 */
import { MemberRole, OrganisationType } from '../src/common/organisation-type';
import { login, makeOrganisation, makeUser, member, TestUser } from './helpers/factory';
import {
  beginSignIn,
  browse,
  CookieJar,
  refreshWithCookie,
  TestOidcProvider,
  throughProvider,
} from './helpers/oidc-provider';
import { platformAdmin } from './helpers/platform-admin';
import { startTestApp, TestApp } from './helpers/test-app';

const PUBLIC_URL = 'http://harbourwatch.test';
const SAVE = `mutation($i: IdentityProviderInput!) { saveIdentityProvider(input: $i) { id approvedAt redirectUri } }`;
const APPROVE = `mutation($id: ID!) { approveIdentityProvider(id: $id) { id approvedAt } }`;
const ME = `{ me { user { email } organisation { id } role } }`;

describe('sign-in through an organisation identity provider', () => {
  let t: TestApp;
  const idp = new TestOidcProvider();
  let police: string;
  let port: string;
  let policeAdmin: TestUser;
  let portAdmin: TestUser;
  let admin: string;
  let policeProvider: string;

  const begin = (email: string, jar: CookieJar) => beginSignIn(t, email, jar);
  const refresh = (jar: CookieJar) => refreshWithCookie(t, jar);

  /** The whole flow as `sub`: the provider's answer reaches the callback; where the browser lands. */
  const signIn = async (sub: string, email: string, jar = new CookieJar()) => {
    idp.signInAs = sub;
    const step = await begin(email, jar);
    expect(step.method).toBe('IDENTITY_PROVIDER');
    return { landed: await throughProvider(t, step.redirectUrl!, jar), jar };
  };

  beforeAll(async () => {
    t = await startTestApp({ PUBLIC_URL, OIDC_ALLOW_HTTP: 'true', OIDC_RECHECK_MINUTES: '1' });
    const callback = `${PUBLIC_URL}/auth/oidc/callback`;
    await idp.listen();
    police = await makeOrganisation(t, OrganisationType.POLICE);
    port = await makeOrganisation(t, OrganisationType.PORT_AUTHORITY);
    policeAdmin = await member(t, police, MemberRole.ORG_ADMIN);
    portAdmin = await member(t, port, MemberRole.ORG_ADMIN);
    admin = await platformAdmin(t);
    const saved = await t.gql(
      SAVE,
      {
        i: {
          issuer: idp.issuer,
          clientId: 'police',
          clientAuth: 'client_secret_basic',
          clientSecret: 'police-secret',
          scopes: ['openid', 'email', 'profile', 'groups'],
          domains: ['police.example', 'politie.example'],
          joinDomains: ['police.example'],
          roleClaim: 'groups',
          analystValues: ['hw-analysts'],
          adminValues: ['hw-admins'],
        },
      },
      policeAdmin.token,
    );
    policeProvider = saved.data.saveIdentityProvider.id;
    expect(saved.data.saveIdentityProvider).toMatchObject({ approvedAt: null, redirectUri: callback });
    // Not approved yet: the domain signs in with a password.
    expect((await begin('someone@police.example', new CookieJar())).method).toBe('PASSWORD');
    // Registered at the provider as an admin would, from what the Identity desk shows (its logout posts
    // straight to where the test app listens).
    await idp.configure([
      {
        client_id: 'police',
        client_secret: 'police-secret',
        redirect_uri: callback,
        backchannel_logout_uri: `${t.baseUrl}/auth/oidc/${policeProvider}/backchannel-logout`,
      },
      { client_id: 'port', client_secret: 'port-secret', redirect_uri: callback },
    ]);
    expect(
      (await t.gql(APPROVE, { id: policeProvider }, admin)).data.approveIdentityProvider.approvedAt,
    ).not.toBeNull();
  });

  afterAll(async () => {
    await t.close();
    await idp.stop();
  });

  it('signs a person of an allowed domain in with the code flow and PKCE, and makes them a member', async () => {
    idp.accounts.set('officer-1', { email: 'ann@police.example', email_verified: true, name: 'Ann Officer' });
    const { landed, jar } = await signIn('officer-1', 'ann@police.example');
    expect(landed).toBe(`${PUBLIC_URL}/`);
    const session = await refresh(jar);
    const token = session.data!.refreshSession.accessToken;
    const me = await t.gql(ME, {}, token);
    expect(me.data.me).toMatchObject({
      user: { email: 'ann@police.example' },
      organisation: { id: police },
      role: MemberRole.MEMBER,
    });
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'joinedThroughIdentityProvider' AND subject_organisation_id = $1`,
      [police],
    );
    expect(n).toBe(1);
    const mail = await t.smtp.waitFor(policeAdmin.email, 10_000);
    const [{ name }] = await t.dataSource.query(`SELECT name FROM organisations WHERE id = $1`, [police]);
    expect(mail.subject).toBe(`ann@police.example joined ${name} on Harbourwatch`);
    // PKCE was used: the authorization request carried a challenge.
    const sent = new URL((await begin('ann@police.example', new CookieJar())).redirectUrl!);
    expect(sent.searchParams.get('code_challenge_method')).toBe('S256');
    expect(sent.searchParams.get('nonce')).toBeTruthy();
  });

  it('refuses a person of an answered domain who is neither a member nor invited, and admits one invited', async () => {
    idp.accounts.set('officer-2', { email: 'bob@politie.example', email_verified: true });
    expect((await signIn('officer-2', 'bob@politie.example')).landed).toBe(`${PUBLIC_URL}/login?signInError=notMember`);
    const invited = await t.gql(
      `mutation($e: String!) { inviteMember(email: $e, role: ANALYST) { id } }`,
      { e: 'bob@politie.example' },
      policeAdmin.token,
    );
    expect(invited.errors).toBeUndefined();
    const { landed, jar } = await signIn('officer-2', 'bob@politie.example');
    expect(landed).toBe(`${PUBLIC_URL}/`);
    const me = await t.gql(ME, {}, (await refresh(jar)).data!.refreshSession.accessToken);
    // The provider maps roles (roleClaim): Bob's claims carry no group, so MEMBER, whatever the invitation said.
    expect(me.data.me.role).toBe(MemberRole.MEMBER);
  });

  it.each([
    ['a wrong issuer', (c: Record<string, unknown>) => ({ ...c, iss: 'https://evil.example' })],
    ['a wrong audience', (c: Record<string, unknown>) => ({ ...c, aud: 'port' })],
    ['an expired ID token', (c: Record<string, unknown>) => ({ ...c, exp: Math.floor(Date.now() / 1000) - 600 })],
    ['a replayed ID token (another nonce)', (c: Record<string, unknown>) => ({ ...c, nonce: 'an-earlier-sign-in' })],
  ])('refuses %s', async (_, forge) => {
    idp.accounts.set('officer-3', { email: 'cy@police.example', email_verified: true });
    idp.tamper = forge;
    try {
      expect((await signIn('officer-3', 'cy@police.example')).landed).toBe(`${PUBLIC_URL}/login?signInError=refused`);
    } finally {
      idp.tamper = undefined;
    }
  });

  it.each([
    ['missing', { email: 'dee@police.example' }],
    ['false', { email: 'dee@police.example', email_verified: false }],
  ])('refuses an e-mail whose email_verified is %s', async (_, account) => {
    idp.accounts.set('officer-4', account);
    expect((await signIn('officer-4', 'dee@police.example')).landed).toBe(`${PUBLIC_URL}/login?signInError=unverified`);
  });

  it('refuses a state that is not the one this browser began, and a callback used twice', async () => {
    idp.accounts.set('officer-5', { email: 'eve@police.example', email_verified: true });
    idp.signInAs = 'officer-5';
    const jar = new CookieJar();
    const step = await begin('eve@police.example', jar);
    const options = {
      publicUrl: PUBLIC_URL,
      baseUrl: t.baseUrl,
      stopAt: (u: string) => u.includes('/auth/oidc/callback'),
    };
    const atCallback = await browse(step.redirectUrl!, jar, options);
    const callback = new URL(atCallback.url);
    const forged = new URL(callback);
    forged.searchParams.set('state', 'not-the-state');
    expect((await browse(forged.href, jar, { ...options, stopAt: undefined })).url).toBe(
      `${PUBLIC_URL}/login?signInError=expired`,
    );
    // Another browser (no cookie) with the real answer: refused, and the answer is spent.
    expect((await browse(callback.href, new CookieJar(), { ...options, stopAt: undefined })).url).toBe(
      `${PUBLIC_URL}/login?signInError=expired`,
    );
    expect((await browse(callback.href, jar, { ...options, stopAt: undefined })).url).toBe(
      `${PUBLIC_URL}/login?signInError=expired`,
    );
  });

  it("never signs anyone into another organisation: the port's member with the police provider gets nothing", async () => {
    // A port authority's member whose address the police provider does not answer for.
    const portMember = await makeUser(t, port, MemberRole.ANALYST, { email: 'fay@port.example' });
    idp.accounts.set('officer-6', { email: portMember.email, email_verified: true });
    expect((await signIn('officer-6', 'fay@police.example')).landed).toBe(`${PUBLIC_URL}/login?signInError=domain`);
    // Member of both: the police provider opens a session for the police only.
    const both = await makeUser(t, port, MemberRole.ORG_ADMIN, { email: 'gil@police.example' });
    await t.dataSource.query(`INSERT INTO memberships (organisation_id, user_id, role) VALUES ($1, $2, 'MEMBER')`, [
      police,
      both.id,
    ]);
    idp.accounts.set('officer-7', { email: both.email, email_verified: true });
    const { jar } = await signIn('officer-7', both.email);
    const me = await t.gql(ME, {}, (await refresh(jar)).data!.refreshSession.accessToken);
    expect(me.data.me.organisation.id).toBe(police);
    // The port's own provider, at the same IdP but not approved, signs nobody in.
    const portSaved = await t.gql(
      SAVE,
      {
        i: {
          issuer: idp.issuer,
          clientId: 'port',
          clientAuth: 'client_secret_post',
          clientSecret: 'port-secret',
          domains: ['port.example'],
        },
      },
      portAdmin.token,
    );
    expect(portSaved.data.saveIdentityProvider.approvedAt).toBeNull();
    expect((await begin(portMember.email, new CookieJar())).method).toBe('PASSWORD');
    // A platform admin cannot approve a provider for a domain another organisation's provider answers for.
    await t.gql(
      SAVE,
      {
        i: {
          issuer: idp.issuer,
          clientId: 'port',
          clientAuth: 'client_secret_post',
          domains: ['port.example', 'police.example'],
        },
      },
      portAdmin.token,
    );
    const taken = await t.gql(APPROVE, { id: portSaved.data.saveIdentityProvider.id }, admin);
    expect(taken.errors?.[0].extensions?.code).toBe('CONFLICT');
    // Another organisation's admin reads nothing of the police provider, nor learns that it exists.
    const approveOther = await t.gql(APPROVE, { id: policeProvider }, portAdmin.token);
    expect(approveOther.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('applies role changes from claims, and signs out at the next refresh a person the provider no longer accepts', async () => {
    idp.accounts.set('officer-8', { email: 'hal@police.example', email_verified: true, groups: ['hw-analysts'] });
    const { jar } = await signIn('officer-8', 'hal@police.example');
    let token = (await refresh(jar)).data!.refreshSession.accessToken;
    expect((await t.gql(ME, {}, token)).data.me.role).toBe(MemberRole.ANALYST);

    // Promoted at the provider: at the refresh after OIDC_RECHECK_MINUTES, the role follows.
    idp.accounts.set('officer-8', { email: 'hal@police.example', email_verified: true, groups: ['hw-admins'] });
    await t.dataSource.query(
      `UPDATE sessions SET idp_checked_at = now() - interval '2 minutes' WHERE idp_subject = 'officer-8'`,
    );
    token = (await refresh(jar)).data!.refreshSession.accessToken;
    expect((await t.gql(ME, {}, token)).data.me.role).toBe(MemberRole.ORG_ADMIN);

    // Left the force: the provider refuses the refresh token, and the session ends with its access token.
    idp.accounts.delete('officer-8');
    await t.dataSource.query(
      `UPDATE sessions SET idp_checked_at = now() - interval '2 minutes' WHERE idp_subject = 'officer-8'`,
    );
    const refused = await refresh(jar);
    expect(refused.errors?.[0].message).toMatch(/no longer accepts/);
    expect((await t.gql(ME, {}, token)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('ends the sessions a back-channel logout of the provider names', async () => {
    idp.accounts.set('officer-9', { email: 'ida@police.example', email_verified: true });
    const { jar } = await signIn('officer-9', 'ida@police.example');
    const token = (await refresh(jar)).data!.refreshSession.accessToken;
    const [{ idp_session_id: sid }] = await t.dataSource.query(
      `SELECT idp_session_id FROM sessions WHERE idp_subject = 'officer-9' AND revoked_at IS NULL`,
    );
    expect(sid).toBeTruthy();
    await idp.logout('police', 'officer-9', sid);
    expect((await t.gql(ME, {}, token)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    // A forged logout token (signed by someone else) ends nothing.
    const res = await fetch(`${t.baseUrl}/auth/oidc/${policeProvider}/backchannel-logout`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ logout_token: 'eyJhbGciOiJub25lIn0.e30.' }),
    });
    expect(res.status).toBe(400);
  });

  it("ends a removed member's session, and lets them back only by an invitation, not by their domain", async () => {
    idp.accounts.set('officer-10', { email: 'kim@police.example', email_verified: true });
    const { jar } = await signIn('officer-10', 'kim@police.example');
    const token = (await refresh(jar)).data!.refreshSession.accessToken;
    const [{ user_id: kim }] = await t.dataSource.query(
      `SELECT user_id FROM user_identities WHERE subject = 'officer-10'`,
    );
    const removed = await t.gql(`mutation($u: ID!) { removeMember(userId: $u) }`, { u: kim }, policeAdmin.token);
    expect(removed.errors).toBeUndefined();
    expect((await t.gql(ME, {}, token)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    expect((await refresh(jar)).errors).toBeDefined();
    expect((await signIn('officer-10', 'kim@police.example')).landed).toBe(`${PUBLIC_URL}/login?signInError=notMember`);
  });

  it('refuses a platform administrator, whose powers never come from an organisation provider', async () => {
    const [{ id }] = await t.dataSource.query(
      `INSERT INTO users (email, display_name, password_hash, is_platform_admin) VALUES ('root@police.example', 'root', NULL, true) RETURNING id`,
    );
    await t.dataSource.query(`INSERT INTO memberships (organisation_id, user_id, role) VALUES ($1, $2, 'MEMBER')`, [
      police,
      id,
    ]);
    idp.accounts.set('officer-11', { email: 'root@police.example', email_verified: true });
    expect((await signIn('officer-11', 'root@police.example')).landed).toBe(`${PUBLIC_URL}/login?signInError=refused`);

    // An admin's test sign-in decides as a real one does, and says so on the desk.
    const jar = new CookieJar();
    const res = await fetch(`${t.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${policeAdmin.token}` },
      body: JSON.stringify({ query: `mutation { testIdentityProvider }` }),
    });
    jar.take(PUBLIC_URL, res);
    const url = ((await res.json()) as { data: { testIdentityProvider: string } }).data.testIdentityProvider;
    expect(await throughProvider(t, url, jar)).toBe(`${PUBLIC_URL}/identity?tested=1`);
    const tested = await t.gql(`{ identityProvider { lastTest { admitted email reason } } }`, {}, policeAdmin.token);
    expect(tested.data.identityProvider.lastTest).toEqual({
      admitted: false,
      email: null,
      reason: 'The identity provider refused the sign-in, or its answer did not check out',
    });
  });

  it('admits through the provider, where passkeys are required, only a person the provider says used one', async () => {
    await t.dataSource.query(`UPDATE organisations SET requires_phishing_resistant = true WHERE id = $1`, [police]);
    try {
      idp.accounts.set('officer-12', { email: 'lou@police.example', email_verified: true });
      expect((await signIn('officer-12', 'lou@police.example')).landed).toBe(
        `${PUBLIC_URL}/login?signInError=phishingResistant`,
      );
      // The provider signs that the person used a hardware-bound key (RFC 8176).
      idp.tamper = (claims) => ({ ...claims, amr: ['hwk', 'user'] });
      const { landed, jar } = await signIn('officer-12', 'lou@police.example');
      expect(landed).toBe(`${PUBLIC_URL}/`);
      expect((await t.gql(ME, {}, (await refresh(jar)).data!.refreshSession.accessToken)).data.me.role).toBe(
        MemberRole.MEMBER,
      );
    } finally {
      idp.tamper = undefined;
      await t.dataSource.query(`UPDATE organisations SET requires_phishing_resistant = false WHERE id = $1`, [police]);
    }
  });

  it('authenticates to the provider with private_key_jwt: our key, published at the key set URL the desk shows', async () => {
    const harbour = await makeOrganisation(t, OrganisationType.PORT_AUTHORITY);
    const harbourAdmin = await member(t, harbour, MemberRole.ORG_ADMIN);
    const keyed = new TestOidcProvider();
    await keyed.listen();
    try {
      const saved = await t.gql(
        `mutation($i: IdentityProviderInput!) { saveIdentityProvider(input: $i) { id jwksUri } }`,
        {
          i: {
            issuer: keyed.issuer,
            clientId: 'harbour',
            clientAuth: 'private_key_jwt',
            domains: ['haven.example'],
            joinDomains: ['haven.example'],
          },
        },
        harbourAdmin.token,
      );
      const { id, jwksUri } = saved.data.saveIdentityProvider;
      expect(jwksUri).toBe(`${PUBLIC_URL}/auth/oidc/${id}/jwks.json`);
      const keys = (await (await fetch(`${t.baseUrl}/auth/oidc/${id}/jwks.json`)).json()) as { keys: object[] };
      expect(keys.keys).toEqual([expect.objectContaining({ kty: 'EC', crv: 'P-256', use: 'sig', alg: 'ES256' })]);
      expect(keys.keys[0]).not.toHaveProperty('d');
      await keyed.configure([
        {
          client_id: 'harbour',
          redirect_uri: `${PUBLIC_URL}/auth/oidc/callback`,
          jwks_uri: `${t.baseUrl}/auth/oidc/${id}/jwks.json`,
        },
      ]);
      await t.gql(APPROVE, { id }, admin);
      keyed.accounts.set('pilot', { email: 'pilot@haven.example', email_verified: true });
      keyed.signInAs = 'pilot';
      const jar = new CookieJar();
      const step = await begin('pilot@haven.example', jar);
      expect(await throughProvider(t, step.redirectUrl!, jar)).toBe(`${PUBLIC_URL}/`);
    } finally {
      await keyed.stop();
    }
  });

  it('refuses a password to the people of an organisation that requires its provider', async () => {
    const officer = await makeUser(t, police, MemberRole.ANALYST, { email: 'jo@politie.example' });
    expect((await login(t, officer.email)).token).toBeTruthy();
    const current = (
      await t.gql(`{ identityProvider { issuer clientId clientAuth domains joinDomains } }`, {}, policeAdmin.token)
    ).data.identityProvider;
    const required = await t.gql(SAVE, { i: { ...current, required: true } }, policeAdmin.token);
    // Only `required` changed: still approved.
    expect(required.data.saveIdentityProvider.approvedAt).not.toBeNull();
    const refused = await t.gql(
      `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }`,
      { e: officer.email, p: 'test-password-123' },
    );
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', identityProviderRequired: true });
  });
});
