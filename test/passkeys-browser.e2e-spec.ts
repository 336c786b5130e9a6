/**
 * Passkeys (issue 28) in Chromium, with the DevTools protocol's virtual authenticator standing in for
 * a fingerprint reader: a person adds a passkey on the Security desk, signs in with it alone, and
 * uses it as the second factor after their password. The relying party is the console's origin, so
 * the console is opened at localhost (WebAuthn refuses IP addresses).
 */
import { MemberRole, OrganisationType } from '../src/common/organisation-type';
import { axe, Browsers, enterEmail, Person } from './helpers/browser';
import { generate } from 'otplib';
import { login, makeOrganisation, makeUser, member, PASSWORD } from './helpers/factory';
import { freePort } from './helpers/free-port';
import { startTestApp, TestApp } from './helpers/test-app';

describe('passkeys in the console', () => {
  let t: TestApp;
  let browsers: Browsers;
  let console_: string;
  let email: string;

  /** A device with a platform authenticator that verifies its user (a fingerprint, say). */
  const withAuthenticator = async (p: Person): Promise<void> => {
    const cdp = await p.context.newCDPSession(p.page);
    await cdp.send('WebAuthn.enable');
    await cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
  };

  /** Signed out, on the login page itself (not on the way back to the desk left). */
  const signOut = async (p: Person) => {
    await p.page.getByRole('button', { name: 'Sign out' }).click();
    await p.page.getByRole('heading', { name: 'Sign in to Harbourwatch' }).waitFor();
    await p.page.goto(`${console_}/login`);
  };

  beforeAll(async () => {
    const port = await freePort();
    console_ = `http://localhost:${port}`;
    t = await startTestApp({ PORT: String(port), PUBLIC_URL: console_ });
    const terminal = await makeOrganisation(t, OrganisationType.TERMINAL_OPERATOR, ['NLRTM'], 'Noordzee Terminal');
    email = (await makeUser(t, terminal, MemberRole.ANALYST)).email;
    browsers = await Browsers.launch(console_);
  });

  afterAll(async () => {
    await browsers?.close();
    await t?.close();
  });

  it('adds a passkey, signs in with it alone, and uses it as the second factor after the password', async () => {
    const p = await browsers.open(email);
    await withAuthenticator(p);
    await browsers.signIn(p);
    await p.page.getByRole('navigation').getByRole('link', { name: 'Security' }).click();
    await p.page.getByRole('heading', { name: 'Security', level: 1 }).waitFor();
    await p.page.getByLabel('Name of the new passkey').fill('work laptop');
    await p.page.getByRole('button', { name: 'Add a passkey' }).click();
    await p.page.getByTestId('passkeys').getByText('work laptop').waitFor();
    await axe(p.page);
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM passkeys`);
    expect(n).toBe(1);

    // With the passkey alone: no e-mail, no password.
    await signOut(p);
    await p.page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await p.page.getByRole('heading', { name: 'Bulletins' }).waitFor();
    const [{ last }] = await t.dataSource.query(`SELECT last_used_at IS NOT NULL AS last FROM passkeys`);
    expect(last).toBe(true);

    // A password alone no longer opens the account: the passkey is its second factor.
    await signOut(p);
    await enterEmail(p.page, email);
    await p.page.getByRole('textbox', { name: 'Password' }).fill(PASSWORD);
    await p.page.getByRole('button', { name: 'Sign in' }).click();
    await p.page.getByRole('button', { name: 'Use your passkey instead' }).click();
    await p.page.getByRole('heading', { name: 'Bulletins' }).waitFor();
    await p.context.close();
  });

  it('in an organisation requiring a passkey: a TOTP-only person may only add one, then signs in with it, and TOTP opens nothing', async () => {
    const customs = await makeOrganisation(t, OrganisationType.CUSTOMS, ['NLRTM'], 'Douane Rotterdam');
    const admin = await member(t, customs, MemberRole.ORG_ADMIN);
    const required = await t.gql(
      `mutation { requirePhishingResistantSignIn(required: true) { requiresPhishingResistant } }`,
      {},
      admin.token,
    );
    expect(required.data.requirePhishingResistantSignIn.requiresPhishingResistant).toBe(true);
    const officer = await makeUser(t, customs, MemberRole.ANALYST);
    const { token } = await login(t, officer.email);
    const { secret } = (await t.gql(`mutation { enrolTotp { secret } }`, {}, token)).data.enrolTotp;
    await t.gql(`mutation($c: String!) { confirmTotp(code: $c) }`, { c: await generate({ secret }) }, token);
    // That session began before TOTP and without a passkey: it may only add one.
    const feed = await t.gql(`{ bulletins(first: 1) { edges { node { id } } } }`, {}, token);
    expect(feed.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', passkeyFirst: true });

    // A code may serve once: forget the one confirmTotp took, as if the next 30 s had come.
    const freshCode = async () => {
      await t.dataSource.query(`UPDATE users SET totp_last_step = NULL WHERE id = $1`, [officer.id]);
      return generate({ secret });
    };
    const p = await browsers.open(officer.email);
    await withAuthenticator(p);
    await p.page.goto(`${console_}/login`);
    await enterEmail(p.page, officer.email);
    await p.page.getByRole('textbox', { name: 'Password' }).fill(PASSWORD);
    await p.page.getByRole('button', { name: 'Sign in' }).click();
    await p.page.getByLabel('Authenticator code').fill(await freshCode());
    await p.page.getByRole('button', { name: 'Sign in' }).click();
    await p.page.getByText('Your organisation requires a passkey', { exact: true }).waitFor();
    expect(await p.page.getByRole('navigation').getByRole('link').count()).toBe(0);
    await axe(p.page);
    await p.page.getByLabel('Name of the new passkey').fill('customs phone');
    await p.page.getByRole('button', { name: 'Add a passkey' }).click();
    await p.page.getByTestId('passkeys').getByText('customs phone').waitFor();
    await p.page.getByRole('button', { name: 'Sign in again with my passkey' }).click();
    await p.page.getByRole('heading', { name: 'Sign in to Harbourwatch' }).waitFor();
    await p.page.goto(`${console_}/login`);
    await p.page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await p.page.getByRole('heading', { name: 'Bulletins' }).waitFor();

    // Now that a passkey exists, a password and a TOTP code open nothing, not even a passkey-adding session.
    const refused = await t.gql(
      `mutation($e: String!, $p: String!, $c: String) { login(email: $e, password: $p, totp: $c) { accessToken } }`,
      { e: officer.email, p: PASSWORD, c: await freshCode() },
    );
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', phishingResistantRequired: true });
    await p.context.close();
  });

  it("recovers a person who lost their passkey: their organisation's admin resets them, and they add a new one", async () => {
    const [{ id: customs }] = await t.dataSource.query(`SELECT id FROM organisations WHERE name = 'Douane Rotterdam'`);
    const [{ email: officerEmail }] = await t.dataSource.query(
      `SELECT u.email FROM users u JOIN passkeys p ON p.user_id = u.id JOIN memberships m ON m.user_id = u.id
        WHERE m.organisation_id = $1`,
      [customs],
    );
    // The admin's own first sign-in in an organisation requiring passkeys: add one, then sign in with it.
    const adminEmail = (await makeUser(t, customs, MemberRole.ORG_ADMIN)).email;
    const admin = await browsers.open(adminEmail);
    await withAuthenticator(admin);
    await admin.page.goto(`${console_}/login`);
    await enterEmail(admin.page, adminEmail);
    await admin.page.getByRole('textbox', { name: 'Password' }).fill(PASSWORD);
    await admin.page.getByRole('button', { name: 'Sign in' }).click();
    await admin.page.getByLabel('Name of the new passkey').fill('admin laptop');
    await admin.page.getByRole('button', { name: 'Add a passkey' }).click();
    await admin.page.getByTestId('passkeys').getByText('admin laptop').waitFor();
    await admin.page.getByRole('button', { name: 'Sign in again with my passkey' }).click();
    await admin.page.getByRole('heading', { name: 'Sign in to Harbourwatch' }).waitFor();
    await admin.page.goto(`${console_}/login`);
    await admin.page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await admin.page.getByRole('heading', { name: 'Bulletins' }).waitFor();

    // The officer's phone is lost: the admin resets them on the Members desk.
    await admin.page.getByRole('navigation').getByRole('link', { name: 'Members' }).click();
    const officerName = officerEmail.split('@')[0];
    await admin.page.getByRole('button', { name: `Reset sign-in factors ${officerName}` }).click();
    await admin.page.getByRole('dialog').getByRole('button', { name: 'Reset sign-in factors' }).click();
    await admin.page.getByRole('dialog').waitFor({ state: 'detached' });
    const mail = await t.smtp.waitFor(officerEmail, 10_000);
    expect(mail.subject).toBe('Your Harbourwatch sign-in factors were reset');
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM passkeys p JOIN users u ON u.id = p.user_id WHERE u.email = $1`,
      [officerEmail],
    );
    expect(n).toBe(0);

    // On a new phone: the password opens only the adding of a passkey, which then signs them in.
    const officer = await browsers.open(officerEmail);
    await withAuthenticator(officer);
    await officer.page.goto(`${console_}/login`);
    await enterEmail(officer.page, officerEmail);
    await officer.page.getByRole('textbox', { name: 'Password' }).fill(PASSWORD);
    await officer.page.getByRole('button', { name: 'Sign in' }).click();
    await officer.page.getByLabel('Name of the new passkey').fill('new phone');
    await officer.page.getByRole('button', { name: 'Add a passkey' }).click();
    await officer.page.getByTestId('passkeys').getByText('new phone').waitFor();
    await officer.page.getByRole('button', { name: 'Sign in again with my passkey' }).click();
    await officer.page.getByRole('heading', { name: 'Sign in to Harbourwatch' }).waitFor();
    await officer.page.goto(`${console_}/login`);
    await officer.page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await officer.page.getByRole('heading', { name: 'Bulletins' }).waitFor();
    await admin.context.close();
    await officer.context.close();
  });

  it("resets only people who are nobody else's member, and no platform administrator", async () => {
    const port = await makeOrganisation(t, OrganisationType.PORT_AUTHORITY);
    const admin = await member(t, port, MemberRole.ORG_ADMIN);
    const twice = await makeUser(t, port, MemberRole.MEMBER);
    const other = await makeOrganisation(t, OrganisationType.POLICE);
    await t.dataSource.query(`INSERT INTO memberships (organisation_id, user_id, role) VALUES ($1, $2, 'MEMBER')`, [
      other,
      twice.id,
    ]);
    const refused = await t.gql(
      `mutation($u: ID!) { resetSignInFactors(userId: $u) { userId } }`,
      { u: twice.id },
      admin.token,
    );
    expect(refused.errors?.[0].extensions?.code).toBe('CONFLICT');
  });

  it('refuses a password without the second factor once a passkey exists, over the API too', async () => {
    const r = await t.gql(`mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }`, {
      e: email,
      p: PASSWORD,
    });
    expect(r.errors?.[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', passkeyRequired: true });
    // An answer made up for a challenge is no passkey.
    const { challengeId } = (await t.gql(`mutation { passkeySignInOptions { challengeId } }`)).data
      .passkeySignInOptions;
    const forged = await t.gql(
      `mutation($c: ID!, $r: JSONObject!) { signInWithPasskey(challengeId: $c, response: $r) { accessToken } }`,
      {
        c: challengeId,
        r: { id: 'AAAA', rawId: 'AAAA', type: 'public-key', response: {}, clientExtensionResults: {} },
      },
    );
    expect(forged.errors?.[0]).toMatchObject({
      message: 'Invalid credentials',
      extensions: { code: 'UNAUTHENTICATED' },
    });
    // The challenge was used up by that try.
    const again = await t.gql(
      `mutation($c: ID!, $r: JSONObject!) { signInWithPasskey(challengeId: $c, response: $r) { accessToken } }`,
      { c: challengeId, r: { id: 'AAAA' } },
    );
    expect(again.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});
