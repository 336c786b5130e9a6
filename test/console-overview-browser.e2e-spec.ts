/**
 * The organisation admin's overview in the browser (issue 27): members with their last sign-in and
 * second factor, invitations awaiting an answer, alerts that never arrived, webhooks failing, keys about
 * to expire; each part links to its desk. Only the organisation's admins see when colleagues sign in.
 */
import { MemberRole, OrganisationType } from '../src/common/organisation-type';
import { axe, Browsers, SCREENSHOTS } from './helpers/browser';
import { publishBulletin } from './helpers/bulletins';
import { login, makeOrganisation, makeUser } from './helpers/factory';
import { startTestApp, TestApp } from './helpers/test-app';

describe("the organisation admin's overview", () => {
  let t: TestApp;
  let browsers: Browsers;
  let adminEmail: string;
  let analystEmail: string;
  let adminToken: string;
  let analystToken: string;

  beforeAll(async () => {
    t = await startTestApp();
    const terminal = await makeOrganisation(t, OrganisationType.TERMINAL_OPERATOR, ['NLRTM'], 'Noordzee Terminal');
    const admin = await makeUser(t, terminal, MemberRole.ORG_ADMIN);
    const analyst = await makeUser(t, terminal, MemberRole.ANALYST);
    adminEmail = admin.email;
    analystEmail = analyst.email;
    adminToken = (await login(t, admin.email)).token;
    analystToken = (await login(t, analyst.email)).token;
    await t.gql(`mutation { inviteMember(email: "new.analyst@noordzee.test", role: ANALYST) { id } }`, {}, adminToken);
    const webhook = await t.gql(
      `mutation { createWebhook(input: { name: "Terminal SIEM", url: "https://siem.noordzee.test/hook", maxTlp: GREEN }) { webhook { id } } }`,
      {},
      adminToken,
    );
    await t.dataSource.query(`UPDATE webhooks SET failing_since = now() - interval '2 hours' WHERE id = $1`, [
      webhook.data.createWebhook.webhook.id,
    ]);
    const client = await t.gql(
      `mutation { createMachineClient(input: { name: "Terminal MISP", maxTlp: GREEN }) { client { id } } }`,
      {},
      adminToken,
    );
    await t.dataSource.query(`UPDATE machine_clients SET expires_at = now() + interval '10 days' WHERE id = $1`, [
      client.data.createMachineClient.client.id,
    ]);
    const bulletin = await publishBulletin(t, analystToken, { tlp: 'GREEN' });
    await t.dataSource.query(
      `INSERT INTO notification_deliveries (bulletin_id, version, kind, user_id, organisation_id, subscription_id, channel, status)
       VALUES ($1, 1, 'PUBLISHED', $2, $3, gen_random_uuid(), 'EMAIL', 'FAILED')`,
      [bulletin, analyst.id, terminal],
    );
    browsers = await Browsers.launch(t.baseUrl);
  });

  afterAll(async () => {
    await browsers?.close();
    await t?.close();
  });

  it('shows the admin what needs attention, each part linking to its desk', async () => {
    const admin = await browsers.open(adminEmail);
    await browsers.signIn(admin);
    const page = admin.page;
    await page.getByRole('link', { name: 'Overview' }).click();
    await page.getByRole('heading', { name: 'Organisation overview' }).waitFor();

    const analystRow = page.getByTestId('overview-members').locator('tr', { hasText: analystEmail });
    await analystRow.waitFor();
    const cells = await analystRow.locator('td').allInnerTexts();
    expect(cells[2]).toBe('Analyst');
    expect(cells[3]).toMatch(/\d{4}, \d{2}:\d{2}$/); // signed in (by the API, above)
    expect(cells[4]).toBe('No');
    await page.getByText('2 members have no authenticator app').waitFor();
    await page.getByTestId('overview-invitations').getByText('new.analyst@noordzee.test').waitFor();
    expect(await page.getByTestId('overview-failures').innerText()).toBe('1 alert e-mail failed after every retry.');
    await page
      .getByTestId('overview-webhooks')
      .getByText(/^Failing since /)
      .waitFor();
    await page.getByTestId('overview-machine-clients').getByText('Terminal MISP').waitFor();
    await axe(page);
    await page.screenshot({ path: `${SCREENSHOTS}/organisation-overview.png`, fullPage: true });

    await page.getByRole('link', { name: 'Open the Webhooks desk' }).click();
    await page.waitForURL(/\/webhooks$/);
  });

  it("keeps colleagues' sign-ins from members who are not admins, by any path", async () => {
    const members = await t.gql(`{ members { edges { node { email lastSignInAt secondFactor } } } }`, {}, analystToken);
    for (const { node } of members.data.members.edges as { node: { lastSignInAt: unknown; secondFactor: unknown } }[])
      expect(node).toMatchObject({ lastSignInAt: null, secondFactor: null });
    const analyst = await browsers.open(analystEmail);
    await browsers.signIn(analyst);
    expect(await analyst.page.getByRole('link', { name: 'Overview' }).count()).toBe(0);
  });
});
