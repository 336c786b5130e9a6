/**
 * Sessions as a person manages them. The browser's way to keep a session: the refresh token in an HttpOnly cookie, never in the page.
 * The same rotation and reuse detection as the body form, and a cookie nobody can use once refused.
 */
import { MemberRole, OrganisationType } from '../src/common/organisation-type';
import { login, makeOrganisation, makeUser, PASSWORD } from './helpers/factory';
import { codeOf, GqlResult, startTestApp, TestApp } from './helpers/test-app';

const LOGIN = `mutation($email: String!, $password: String!) {
  login(email: $email, password: $password, refreshCookie: true) { accessToken refreshToken refreshTokenExpiresAt }
}`;
const REFRESH = `mutation { refreshSession { accessToken refreshToken } }`;
const ME = `{ me { user { id } } }`;
const REFRESH_BODY = `mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken } }`;

describe('refresh token in a cookie', () => {
  let t: TestApp;
  let org: string;

  beforeAll(async () => {
    t = await startTestApp();
    org = await makeOrganisation(t, OrganisationType.POLICE);
  });
  afterAll(() => t.close());

  /** A GraphQL call as a browser makes it: the cookie (if any) instead of the argument; the cookies set back. */
  async function call(query: string, variables: object, cookie?: string, token?: string) {
    const res = await fetch(`${t.baseUrl}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(cookie ? { cookie } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify({ query, variables }),
    });
    return { body: (await res.json()) as GqlResult, setCookies: res.headers.getSetCookie() };
  }
  const cookieOf = (setCookies: string[]) => setCookies.find((c) => c.startsWith('hw_refresh='))!.split(';')[0];

  async function signIn() {
    const user = await makeUser(t, org, MemberRole.ANALYST);
    return call(LOGIN, { email: user.email, password: PASSWORD });
  }

  it('sets the refresh token as an HttpOnly, Secure, SameSite=Strict cookie for /graphql only, and leaves it out of the answer', async () => {
    const { body, setCookies } = await signIn();
    expect(body.data.login.refreshToken).toBeNull();
    const cookie = setCookies.find((c) => c.startsWith('hw_refresh='))!;
    expect(cookie).toMatch(/^hw_refresh=[^;]{20,};/);
    expect(cookie).toMatch(/; Path=\/graphql(;|$)/);
    expect(cookie).toMatch(/; HttpOnly(;|$)/);
    expect(cookie).toMatch(/; Secure(;|$)/);
    expect(cookie).toMatch(/; SameSite=Strict(;|$)/);
    expect(Date.parse(/Expires=([^;]+)/.exec(cookie)![1])).toBeCloseTo(
      Date.parse(body.data.login.refreshTokenExpiresAt),
      -4,
    );
  });

  it('refreshes from the cookie alone, rotating it, and the new access token works', async () => {
    const first = cookieOf((await signIn()).setCookies);
    const refreshed = await call(REFRESH, {}, first);
    expect(refreshed.body.data.refreshSession.refreshToken).toBeNull();
    const second = cookieOf(refreshed.setCookies);
    expect(second).not.toBe(first);
    expect(codeOf(await t.gql(ME, {}, refreshed.body.data.refreshSession.accessToken))).toBe('OK');
  });

  it('treats a replayed cookie as theft: the whole session ends, and the refused cookie is cleared', async () => {
    const first = cookieOf((await signIn()).setCookies);
    const rotated = await call(REFRESH, {}, first);
    const replay = await call(REFRESH, {}, first);
    expect(codeOf(replay.body)).toBe('UNAUTHENTICATED');
    expect(replay.setCookies.find((c) => c.startsWith('hw_refresh='))).toMatch(
      /^hw_refresh=;.*Expires=Thu, 01 Jan 1970/,
    );
    // The legitimate holder's newer cookie and access token die with the family.
    expect(codeOf((await call(REFRESH, {}, cookieOf(rotated.setCookies))).body)).toBe('UNAUTHENTICATED');
    expect(codeOf(await t.gql(ME, {}, rotated.body.data.refreshSession.accessToken))).toBe('UNAUTHENTICATED');
  });

  it("refuses the cookie of a member removed since, or of a suspended organisation's member, and clears it", async () => {
    const removed = await makeUser(t, org, MemberRole.ANALYST);
    const removedCookie = cookieOf((await call(LOGIN, { email: removed.email, password: PASSWORD })).setCookies);
    await t.dataSource.query(`DELETE FROM memberships WHERE user_id = $1`, [removed.id]);
    const suspendedOrg = await makeOrganisation(t, OrganisationType.CUSTOMS);
    const member = await makeUser(t, suspendedOrg, MemberRole.ANALYST);
    const memberCookie = cookieOf((await call(LOGIN, { email: member.email, password: PASSWORD })).setCookies);
    await t.dataSource.query(`UPDATE organisations SET status = 'SUSPENDED' WHERE id = $1`, [suspendedOrg]);
    for (const cookie of [removedCookie, memberCookie]) {
      const refused = await call(REFRESH, {}, cookie);
      expect(codeOf(refused.body)).toBe('UNAUTHENTICATED');
      expect(refused.setCookies.find((c) => c.startsWith('hw_refresh='))).toMatch(/^hw_refresh=;/);
    }
  });

  it('asks to sign in again when there is neither argument nor cookie', async () => {
    const r = await call(REFRESH, {});
    expect(r.body.errors?.[0]).toMatchObject({
      message: 'No refresh token: sign in again',
      extensions: { code: 'UNAUTHENTICATED' },
    });
  });

  it('clears the cookie on logout, and the session it belonged to is over', async () => {
    const { body, setCookies } = await signIn();
    const out = await call(`mutation { logout }`, {}, cookieOf(setCookies), body.data.login.accessToken);
    expect(out.body.data.logout).toBe(true);
    expect(out.setCookies.find((c) => c.startsWith('hw_refresh='))).toMatch(/^hw_refresh=;.*Expires=Thu, 01 Jan 1970/);
    expect(codeOf((await call(REFRESH, {}, cookieOf(setCookies))).body)).toBe('UNAUTHENTICATED');
  });
});

describe('session list', () => {
  let t: TestApp;
  let org: string;

  beforeAll(async () => {
    t = await startTestApp();
    org = await makeOrganisation(t, OrganisationType.POLICE);
  });
  afterAll(() => t.close());

  const SESSIONS = `{ mySessions { id current organisation { id } createdAt expiresAt } }`;
  const END = `mutation($id: ID!) { endSession(id: $id) }`;

  it("lists one's live sessions, marks the current one, and ends another device's at once", async () => {
    const user = await makeUser(t, org, MemberRole.ANALYST);
    const laptop = await login(t, user.email);
    const phone = await login(t, user.email);
    const listed = (await t.gql(SESSIONS, {}, laptop.token)).data.mySessions as { id: string; current: boolean }[];
    expect(listed).toHaveLength(2);
    expect(listed.filter((s) => s.current)).toHaveLength(1);
    const other = listed.find((s) => !s.current)!;
    expect((await t.gql(END, { id: other.id }, laptop.token)).data.endSession).toBe(true);
    expect(codeOf(await t.gql(SESSIONS, {}, phone.token))).toBe('UNAUTHENTICATED');
    expect(codeOf(await t.gql(REFRESH_BODY, { t: phone.refreshToken }))).toBe('UNAUTHENTICATED');
    expect((await t.gql(SESSIONS, {}, laptop.token)).data.mySessions).toHaveLength(1);
  });

  it("answers NOT_FOUND for anyone else's session, as for an unknown one, and ends nothing", async () => {
    const mine = await login(t, (await makeUser(t, org, MemberRole.ORG_ADMIN)).email);
    const colleague = await login(t, (await makeUser(t, org, MemberRole.MEMBER)).email);
    const theirs = ((await t.gql(SESSIONS, {}, colleague.token)).data.mySessions as { id: string }[])[0].id;
    expect(codeOf(await t.gql(END, { id: theirs }, mine.token))).toBe('NOT_FOUND');
    expect(codeOf(await t.gql(END, { id: '00000000-0000-4000-8000-000000000000' }, mine.token))).toBe('NOT_FOUND');
    expect(codeOf(await t.gql(SESSIONS, {}, colleague.token))).toBe('OK');
  });
});

describe('idle timeout', () => {
  let t: TestApp;
  let org: string;

  beforeAll(async () => {
    t = await startTestApp({ SESSION_IDLE_MINUTES: '30' });
    org = await makeOrganisation(t, OrganisationType.POLICE);
  });
  afterAll(() => t.close());

  it('ends a session left idle for SESSION_IDLE_MINUTES, and each refresh moves the end', async () => {
    const user = await makeUser(t, org, MemberRole.ANALYST);
    const signed = await t.gql(
      `mutation($e: String!, $p: String!) { login(email: $e, password: $p) { refreshToken refreshTokenExpiresAt } }`,
      { e: user.email, p: PASSWORD },
    );
    const ends = Date.parse(signed.data.login.refreshTokenExpiresAt);
    expect(ends - Date.now()).toBeGreaterThan(29 * 60_000);
    expect(ends - Date.now()).toBeLessThanOrEqual(30 * 60_000);
    const refreshed = await t.gql(
      `mutation($t: String!) { refreshSession(refreshToken: $t) { refreshToken refreshTokenExpiresAt } }`,
      { t: signed.data.login.refreshToken },
    );
    expect(Date.parse(refreshed.data.refreshSession.refreshTokenExpiresAt)).toBeGreaterThanOrEqual(ends);
    // Thirty idle minutes later (the clock moved in the database):
    await t.dataSource.query(
      `UPDATE refresh_tokens SET expires_at = expires_at - interval '31 minutes'
        WHERE session_id = (SELECT id FROM sessions WHERE user_id = $1)`,
      [user.id],
    );
    expect(codeOf(await t.gql(REFRESH_BODY, { t: refreshed.data.refreshSession.refreshToken }))).toBe(
      'UNAUTHENTICATED',
    );
  });
});
