/**
 * The console's side of organisation sign-in (issue 28), in Chromium against a real OpenID provider:
 * an organisation admin connects and tests the provider on the Identity desk, a platform admin
 * approves it, and a member signs in with nothing but their e-mail on the login page.
 */
import { MemberRole, OrganisationType } from '../src/common/organisation-type';
import { axe, Browsers } from './helpers/browser';
import { makeOrganisation, makeUser } from './helpers/factory';
import { freePort } from './helpers/free-port';
import { TestOidcProvider } from './helpers/oidc-provider';
import { platformAdmin } from './helpers/platform-admin';
import { startTestApp, TestApp } from './helpers/test-app';

describe('organisation sign-in in the console', () => {
  let t: TestApp;
  let browsers: Browsers;
  const idp = new TestOidcProvider();
  let adminEmail: string;

  beforeAll(async () => {
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    t = await startTestApp({ PORT: String(port), PUBLIC_URL: publicUrl, OIDC_ALLOW_HTTP: 'true' });
    await idp.listen();
    await idp.configure([
      { client_id: 'customs', client_secret: 'customs-secret', redirect_uri: `${publicUrl}/auth/oidc/callback` },
    ]);
    const customs = await makeOrganisation(t, OrganisationType.CUSTOMS, ['NLRTM'], 'Douane Rotterdam');
    adminEmail = (await makeUser(t, customs, MemberRole.ORG_ADMIN, { email: 'admin@douane.example' })).email;
    idp.accounts.set('officer', { email: 'officer@douane.example', email_verified: true, name: 'Olga Officer' });
    browsers = await Browsers.launch(t.baseUrl);
  });

  afterAll(async () => {
    await browsers?.close();
    await t?.close();
    await idp.stop();
  });

  it('connects, tests and, once approved, signs a member in with their e-mail alone', async () => {
    const admin = await browsers.open(adminEmail);
    await browsers.signIn(admin);
    await admin.page.getByRole('navigation').getByRole('link', { name: 'Identity provider' }).click();
    await admin.page.getByRole('heading', { name: 'Connect your identity provider' }).waitFor();
    await admin.page.getByLabel('Issuer').fill(idp.issuer);
    await admin.page.getByLabel('Client ID').fill('customs');
    await admin.page.getByLabel('Client secret').fill('customs-secret');
    const domains = admin.page.getByRole('combobox', { name: 'E-mail domains' });
    await domains.fill('douane.example');
    await domains.press('Enter');
    const joiners = admin.page.getByRole('combobox', { name: 'Domains whose people join uninvited' });
    await joiners.fill('douane.example');
    await joiners.press('Enter');
    await admin.page.getByRole('button', { name: 'Save' }).click();
    await admin.page.getByText('Awaiting approval').waitFor();
    await admin.page.getByText(`${t.config.publicUrl}/auth/oidc/callback`).waitFor();
    await axe(admin.page);

    // The test sign-in goes to the provider and back to the desk, which says what happened.
    idp.signInAs = 'officer';
    await admin.page.getByRole('button', { name: 'Test a sign-in' }).click();
    await admin.page.waitForURL(/\/identity\?tested=1$/);
    await admin.page.getByText(/Test sign-in of .*: admitted/).waitFor();
    await admin.page.getByText('officer@douane.example would be signed in, as Member.').waitFor();

    // Not approved: the address still asks for a password.
    const officer = await browsers.open('officer@douane.example');
    await officer.page.goto(`${t.baseUrl}/login`);
    await officer.page.getByLabel('E-mail').fill('officer@douane.example');
    await officer.page.getByRole('button', { name: 'Continue' }).click();
    await officer.page.getByRole('textbox', { name: 'Password' }).waitFor();

    const id = (await t.dataSource.query(`SELECT id FROM identity_providers`))[0].id as string;
    const approved = await t.gql(
      `mutation($id: ID!) { approveIdentityProvider(id: $id) { approvedAt } }`,
      { id },
      await platformAdmin(t),
    );
    expect(approved.data.approveIdentityProvider.approvedAt).not.toBeNull();

    // Approved: the e-mail alone leads through the provider to the feed.
    await officer.page.getByRole('button', { name: 'Use another e-mail address' }).click();
    await officer.page.getByRole('button', { name: 'Continue' }).click();
    await officer.page.getByRole('heading', { name: 'Bulletins' }).waitFor();
    await officer.page.getByRole('banner').getByText('Douane Rotterdam').waitFor();
    await admin.context.close();
    await officer.context.close();
  });

  it('tells a person refused by the provider why, on the login page', async () => {
    const page = (await browsers.open('stranger@elsewhere.example')).page;
    await page.goto(`${t.baseUrl}/login?signInError=notMember`);
    await page
      .getByRole('alert')
      .filter({ hasText: 'You are not a member of this organisation on Harbourwatch' })
      .waitFor();
    await axe(page);
  });
});
