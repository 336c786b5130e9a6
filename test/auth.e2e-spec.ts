import { generate } from 'otplib';
import { MemberRole, OrganisationType } from '../src/common/organisation-type';
import { LOGIN, login, makeOrganisation, makeUser, PASSWORD } from './helpers/factory';
import { codeOf, GqlResult, startTestApp, TestApp } from './helpers/test-app';
import { windowWithRoom } from './helpers/wait';

const ME = `{ me { user { id email } organisation { id name type ports } role isPlatformAdmin memberships { organisation { id } role } } }`;
const REFRESH = `mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken refreshToken } }`;

describe('authentication', () => {
  let t: TestApp;
  let orgA: string;
  let orgB: string;

  beforeAll(async () => {
    t = await startTestApp({ TRUST_PROXY: 'true' });
    orgA = await makeOrganisation(t, OrganisationType.POLICE, ['NLRTM']);
    orgB = await makeOrganisation(t, OrganisationType.CUSTOMS, ['BEANR']);
  });
  afterAll(() => t.close());

  it('logs a member in and answers me for the acting organisation', async () => {
    const u = await makeUser(t, orgA, MemberRole.ANALYST);
    const r = await t.gql(LOGIN, { email: u.email.toUpperCase(), password: PASSWORD });
    expect(r.errors).toBeUndefined();
    expect(r.data.login.organisation.id).toBe(orgA);
    expect(new Date(r.data.login.accessTokenExpiresAt).getTime() - Date.now()).toBeLessThanOrEqual(900_000);
    const me = await t.gql(ME, {}, r.data.login.accessToken);
    expect(me.data.me).toMatchObject({
      user: { id: u.id, email: u.email },
      organisation: { id: orgA, type: 'POLICE', ports: ['NLRTM'] },
      role: 'ANALYST',
      isPlatformAdmin: false,
    });
  });

  it('gives a wrong password and an unknown e-mail the same error', async () => {
    const u = await makeUser(t, orgA);
    const wrong = await t.gql(LOGIN, { email: u.email, password: 'not-the-password' });
    const unknown = await t.gql(LOGIN, { email: 'nobody@example.eu', password: 'not-the-password' });
    expect(codeOf(wrong)).toBe('UNAUTHENTICATED');
    expect(wrong.errors).toEqual(unknown.errors);
  });

  it("asks for organisationId with several memberships, naming only the caller's own organisations", async () => {
    const u = await makeUser(t, orgA);
    await t.dataSource.query(`INSERT INTO memberships (organisation_id, user_id, role) VALUES ($1, $2, 'MEMBER')`, [
      orgB,
      u.id,
    ]);
    await makeUser(t, orgB); // another user, never to be mentioned
    const r = await t.gql(LOGIN, { email: u.email, password: PASSWORD });
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    const listed = (r.errors![0].extensions!.organisations as { id: string }[]).map((o) => o.id).sort();
    expect(listed).toEqual([orgA, orgB].sort());
    expect(JSON.stringify(r.errors)).not.toMatch(/@example\.eu/);
    const chosen = await t.gql(LOGIN, { email: u.email, password: PASSWORD, organisationId: orgB });
    expect(chosen.data.login.organisation.id).toBe(orgB);
  });

  it('rotates refresh tokens and revokes the whole family when a used one comes back', async () => {
    const u = await makeUser(t, orgA);
    const first = await login(t, u.email);
    const second = await t.gql(REFRESH, { t: first.refreshToken });
    expect(second.errors).toBeUndefined();
    const fresh = second.data.refreshSession;
    expect((await t.gql(ME, {}, fresh.accessToken)).data.me.user.id).toBe(u.id);

    const replay = await t.gql(REFRESH, { t: first.refreshToken });
    expect(codeOf(replay)).toBe('UNAUTHENTICATED');
    // The thief's replay ended the family: the legitimate newer tokens are dead too.
    expect(codeOf(await t.gql(REFRESH, { t: fresh.refreshToken }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await t.gql(ME, {}, fresh.accessToken))).toBe('UNAUTHENTICATED');
  });

  it('logout ends one session, logoutEverywhere all of them', async () => {
    const u = await makeUser(t, orgA);
    const s1 = await login(t, u.email);
    const s2 = await login(t, u.email);
    const s3 = await login(t, u.email);
    expect((await t.gql(`mutation { logout }`, {}, s1.token)).data.logout).toBe(true);
    expect(codeOf(await t.gql(ME, {}, s1.token))).toBe('UNAUTHENTICATED');
    expect(codeOf(await t.gql(REFRESH, { t: s1.refreshToken }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await t.gql(ME, {}, s2.token))).toBe('OK');
    expect((await t.gql(`mutation { logoutEverywhere }`, {}, s2.token)).data.logoutEverywhere).toBe(true);
    expect(codeOf(await t.gql(ME, {}, s2.token))).toBe('UNAUTHENTICATED');
    expect(codeOf(await t.gql(ME, {}, s3.token))).toBe('UNAUTHENTICATED');
    expect(codeOf(await t.gql(REFRESH, { t: s3.refreshToken }))).toBe('UNAUTHENTICATED');
  });

  /** login from a given client address (the app trusts X-Forwarded-For in this file, as behind nginx). */
  const loginFrom = async (address: string, variables: Record<string, unknown>) => {
    const res = await fetch(`${t.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': address },
      body: JSON.stringify({ query: LOGIN, variables }),
    });
    return res.json() as Promise<GqlResult>;
  };

  it('locks one source out of an account after 5 failures, doubling the lock on each further failure, and leaves other sources alone', async () => {
    const u = await makeUser(t, orgA);
    for (let i = 0; i < 5; i++) {
      expect(codeOf(await loginFrom('203.0.113.7', { email: u.email, password: `wrong-password-${i}` }))).toBe(
        'UNAUTHENTICATED',
      );
    }
    // Locked: said with the time it ends, and the same whether or not the password is right.
    for (const password of [PASSWORD, 'wrong-password-9']) {
      const refused = await loginFrom('203.0.113.7', { email: u.email, password });
      expect(refused.errors?.[0].message).toMatch(
        /^Too many failed sign-ins from this network: the account is locked here until \d\d:\d\d UTC/,
      );
      expect(Date.parse(refused.errors?.[0].extensions?.lockedUntil as string)).toBeGreaterThan(Date.now() + 50_000);
    }
    const lock = async () =>
      (
        await t.dataSource.query(
          `SELECT failures, extract(epoch FROM locked_until - now()) AS left FROM login_failures WHERE user_id = $1`,
          [u.id],
        )
      )[0];
    expect(Number((await lock()).left)).toBeGreaterThan(50);
    expect(Number((await lock()).left)).toBeLessThanOrEqual(60);
    // The owner, elsewhere, is not locked out by the stranger's failures.
    expect(codeOf(await loginFrom('198.51.100.20', { email: u.email, password: PASSWORD }))).toBe('OK');
    // After the lock (simulated), one more failure from the same source locks it for twice as long.
    await t.dataSource.query(
      `UPDATE login_failures SET locked_until = now() - interval '1 second' WHERE user_id = $1`,
      [u.id],
    );
    expect(codeOf(await loginFrom('203.0.113.7', { email: u.email, password: 'wrong-again' }))).toBe('UNAUTHENTICATED');
    expect(await lock()).toMatchObject({ failures: 6 });
    expect(Number((await lock()).left)).toBeGreaterThan(110);
    // The right password, once the lock is over, clears the record.
    await t.dataSource.query(
      `UPDATE login_failures SET locked_until = now() - interval '1 second' WHERE user_id = $1`,
      [u.id],
    );
    expect(codeOf(await loginFrom('203.0.113.7', { email: u.email, password: PASSWORD }))).toBe('OK');
    expect(await lock()).toBeUndefined();
  });

  it('locks an address without an account exactly like one with an account (the lock tells nobody which exist)', async () => {
    const answers = async (email: string) => {
      const seen: string[] = [];
      for (let i = 0; i < 7; i++) {
        const r = await loginFrom('203.0.113.9', { email, password: `wrong-password-${i}` });
        seen.push(`${codeOf(r)} ${r.errors?.[0].message.replace(/\d\d:\d\d/, 'HH:MM')}`);
      }
      return seen;
    };
    const known = await answers((await makeUser(t, orgA)).email);
    expect(await answers(`nobody.${Date.now()}@example.eu`)).toEqual(known);
    expect(known[5]).toMatch(/locked here until HH:MM UTC/);
  });

  it('does not lock a source for failures spread beyond 15 minutes', async () => {
    const u = await makeUser(t, orgA);
    for (let i = 0; i < 4; i++) await loginFrom('203.0.113.8', { email: u.email, password: 'wrong-password-x' });
    await t.dataSource.query(
      `UPDATE login_failures SET last_failure_at = now() - interval '16 minutes' WHERE user_id = $1`,
      [u.id],
    );
    await loginFrom('203.0.113.8', { email: u.email, password: 'wrong-password-x' });
    expect(codeOf(await loginFrom('203.0.113.8', { email: u.email, password: PASSWORD }))).toBe('OK');
  });

  it('gives a platform administrator no session through an invitation without the second factor (one gate for every way in)', async () => {
    const admin = await makeUser(t, null, MemberRole.MEMBER, { platformAdmin: true });
    const { token } = await login(t, admin.email);
    const { secret } = (await t.gql(`mutation { enrolTotp { secret } }`, {}, token)).data.enrolTotp;
    await t.gql(`mutation($c: String!) { confirmTotp(code: $c) }`, { c: await generate({ secret }) }, token);
    await t.dataSource.query(`UPDATE users SET totp_last_step = totp_last_step - 2 WHERE id = $1`, [admin.id]);

    const orgAdmin = await makeUser(t, orgB, MemberRole.ORG_ADMIN);
    const inviter = await login(t, orgAdmin.email);
    await t.gql(
      `mutation($e: String!) { inviteMember(email: $e, role: MEMBER) { id } }`,
      { e: admin.email },
      inviter.token,
    );
    const mail = await t.smtp.waitFor(admin.email);
    const invitation = /token=([^\s&"]+)/.exec(mail.text)![1];
    const accept = `mutation($token: String!, $p: String!, $totp: String) {
      acceptInvitation(token: $token, displayName: "Admin", password: $p, totp: $totp) { accessToken } }`;

    const without = await t.gql(accept, { token: decodeURIComponent(invitation), p: PASSWORD });
    expect(codeOf(without)).toBe('UNAUTHENTICATED');
    expect(without.errors![0].extensions!.totpRequired).toBe(true);
    expect(codeOf(await t.gql(accept, { token: decodeURIComponent(invitation), p: PASSWORD, totp: '000000' }))).toBe(
      'UNAUTHENTICATED',
    );
    const withCode = await t.gql(accept, {
      token: decodeURIComponent(invitation),
      p: PASSWORD,
      totp: await generate({ secret }),
    });
    expect(withCode.data?.acceptInvitation.accessToken).toBeTruthy();
  });

  it('tells a member whose organisation is suspended, once the password is proven, and nobody else', async () => {
    const org = await makeOrganisation(t, OrganisationType.PORT_AUTHORITY, ['NLRTM'], 'Harbour Master Suspended');
    const u = await makeUser(t, org);
    await t.dataSource.query(`UPDATE organisations SET status = 'SUSPENDED' WHERE id = $1`, [org]);
    const r = await t.gql(LOGIN, { email: u.email, password: PASSWORD });
    expect(r.errors![0]).toMatchObject({
      message: "Harbour Master Suspended is suspended: contact the alliance's platform administrators",
      extensions: { code: 'UNAUTHENTICATED', organisationSuspended: true },
    });
    expect((await t.gql(LOGIN, { email: u.email, password: 'wrong-password-1' })).errors![0].message).toBe(
      'Invalid credentials',
    );
  });

  it('enrols TOTP, then requires it at login and refuses a replayed code', async () => {
    const u = await makeUser(t, orgA);
    const { token } = await login(t, u.email);
    const enrol = await t.gql(`mutation { enrolTotp { secret otpauthUrl } }`, {}, token);
    const { secret, otpauthUrl } = enrol.data.enrolTotp;
    expect(otpauthUrl).toMatch(/^otpauth:\/\/totp\/.*secret=/);
    expect(codeOf(await t.gql(`mutation { confirmTotp(code: "000000") }`, {}, token))).toBe('BAD_USER_INPUT');
    const code = await generate({ secret });
    expect((await t.gql(`mutation($c: String!) { confirmTotp(code: $c) }`, { c: code }, token)).data.confirmTotp).toBe(
      true,
    );

    const without = await t.gql(LOGIN, { email: u.email, password: PASSWORD });
    expect(codeOf(without)).toBe('UNAUTHENTICATED');
    expect(without.errors![0].extensions!.totpRequired).toBe(true);
    // The code used for confirmation cannot be used again in its time step, and the person is told so.
    const reused = await t.gql(LOGIN, { email: u.email, password: PASSWORD, totp: code });
    expect(reused.errors![0]).toMatchObject({
      message: 'This code was used already: wait for the next one',
      extensions: { code: 'UNAUTHENTICATED', totpReused: true },
    });
    // A wrong code says nothing more than wrong credentials.
    expect((await t.gql(LOGIN, { email: u.email, password: PASSWORD, totp: '000000' })).errors![0].message).toBe(
      'Invalid credentials',
    );
    // With a wrong password, a replayed code is not named either.
    expect((await t.gql(LOGIN, { email: u.email, password: 'wrong-password-9', totp: code })).errors![0].message).toBe(
      'Invalid credentials',
    );
    await t.dataSource.query(`UPDATE users SET totp_last_step = totp_last_step - 2 WHERE id = $1`, [u.id]);
    const ok = await t.gql(LOGIN, { email: u.email, password: PASSWORD, totp: code });
    expect(ok.errors).toBeUndefined();
    const [row] = await t.dataSource.query(`SELECT totp_secret FROM users WHERE id = $1`, [u.id]);
    expect(row.totp_secret).not.toContain(secret);
  });

  it('keeps platform admins out of everything but enrolment until TOTP is confirmed', async () => {
    const admin = await makeUser(t, null, MemberRole.MEMBER, { platformAdmin: true });
    const { token } = await login(t, admin.email);
    const create = `mutation { createOrganisation(input: { name: "Harbour Watchers", type: OTHER, ports: ["DEHAM"] }) { id sector } }`;
    expect(codeOf(await t.gql(create, {}, token))).toBe('FORBIDDEN');
    expect((await t.gql(ME, {}, token)).data.me).toMatchObject({ isPlatformAdmin: true, organisation: null });
    const { secret } = (await t.gql(`mutation { enrolTotp { secret otpauthUrl } }`, {}, token)).data.enrolTotp;
    await t.gql(`mutation($c: String!) { confirmTotp(code: $c) }`, { c: await generate({ secret }) }, token);
    const created = await t.gql(create, {}, token);
    expect(created.errors).toBeUndefined();
    expect(created.data.createOrganisation.sector).toBe('PRIVATE');
  });
});

describe('login throttle', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ LOGIN_RATE_LIMIT: '3', LOGIN_RATE_WINDOW_SECONDS: '60' });
  });
  afterAll(() => t.close());

  it('refuses a client IP that tries more logins than allowed per window, whichever instance it reaches', async () => {
    const second = await startTestApp({ LOGIN_RATE_LIMIT: '3', LOGIN_RATE_WINDOW_SECONDS: '60' }, t);
    const codes = [];
    try {
      await windowWithRoom(60_000, 20_000);
      for (let i = 0; i < 4; i++)
        codes.push(
          codeOf(await (i % 2 ? second : t).gql(LOGIN, { email: `x${i}@example.eu`, password: 'whatever-password' })),
        );
    } finally {
      await second.close();
    }
    expect(codes).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'UNAUTHENTICATED', 'RATE_LIMITED']);
  });
});

describe('sign-in throttle and refreshing', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ LOGIN_RATE_LIMIT: '2', LOGIN_RATE_WINDOW_SECONDS: '60' });
  });
  afterAll(() => t.close());

  it('never counts refreshing a session: an office reloading its tabs stays signed in, signing in still counts', async () => {
    const org = await makeOrganisation(t, OrganisationType.POLICE);
    const user = await makeUser(t, org, MemberRole.ANALYST);
    await windowWithRoom(60_000, 20_000);
    let { refreshToken } = await login(t, user.email);
    for (let i = 0; i < 5; i++) {
      const r = await t.gql(REFRESH, { t: refreshToken });
      expect(r.errors).toBeUndefined();
      refreshToken = r.data.refreshSession.refreshToken;
    }
    const signIns = [];
    for (let i = 0; i < 2; i++) signIns.push(codeOf(await t.gql(LOGIN, { email: user.email, password: PASSWORD })));
    expect(signIns).toEqual(['OK', 'RATE_LIMITED']);
  });
});
