/**
 * Correlation in the browser: the bulletin page's "Related" (a graph whose nodes are links, and a table
 * saying the same in words) shows the reader exactly what the server's `related` gives them, never a
 * bulletin they may not read; the author finds the notice on the Alerts desk, turns e-mail on and marks
 * it seen; an organisation admin leaves a value out of correlation on the Sharing desk.
 */
import { MemberRole, OrganisationType } from '../src/common/organisation-type';
import { axe, Browsers, Person, SCREENSHOTS } from './helpers/browser';
import { publishBulletin, uniqueContainerNumber } from './helpers/bulletins';
import { login, makeOrganisation, makeUser } from './helpers/factory';
import { startTestApp, TestApp } from './helpers/test-app';
import { until } from './helpers/wait';

describe('correlation in the console', () => {
  let t: TestApp;
  let browsers: Browsers;
  let author: Person;
  let admin: Person;
  let authorToken: string;
  let first: string;
  let later: string;
  let hidden: string;

  beforeAll(async () => {
    t = await startTestApp();
    const terminal = await makeOrganisation(t, OrganisationType.TERMINAL_OPERATOR, ['NLRTM'], 'Noordzee Terminal');
    const police = await makeOrganisation(t, OrganisationType.POLICE, ['NLRTM'], 'Zeehavenpolitie');
    const customs = await makeOrganisation(t, OrganisationType.CUSTOMS, ['NLRTM'], 'Douane Rotterdam');
    const analyst = await makeUser(t, terminal, MemberRole.ANALYST);
    const terminalAdmin = await makeUser(t, terminal, MemberRole.ORG_ADMIN);
    const officer = await makeUser(t, police, MemberRole.ANALYST);
    const customsOfficer = await makeUser(t, customs, MemberRole.ANALYST);
    authorToken = (await login(t, analyst.email)).token;
    const container = uniqueContainerNumber('BRCU');
    first = await publishBulletin(t, authorToken, {
      title: 'PIN codes phished from the terminal portal',
      tlp: 'GREEN',
      category: 'CYBER_INTRUSION',
      indicators: [
        { type: 'CONTAINER_NUMBER', value: container },
        { type: 'DOMAIN_NAME', value: 'pin-portal-login.example.com' },
        { type: 'IP_ADDRESS', value: '203.0.113.45' },
      ],
    });
    later = await publishBulletin(t, (await login(t, officer.email)).token, {
      title: 'Login to the portal from a known address',
      tlp: 'GREEN',
      indicators: [
        { type: 'IP_ADDRESS', value: '203.0.113.45' },
        { type: 'DOMAIN_NAME', value: 'pin-portal-login.example.com' },
      ],
    });
    hidden = await publishBulletin(t, (await login(t, customsOfficer.email)).token, {
      title: 'Customs only',
      tlp: 'AMBER_STRICT',
      recipientOrganisationIds: [police],
      indicators: [{ type: 'CONTAINER_NUMBER', value: container }],
    });
    browsers = await Browsers.launch(t.baseUrl);
    author = await browsers.open(analyst.email, { viewport: { width: 1280, height: 1000 } });
    await browsers.signIn(author);
    admin = await browsers.open(terminalAdmin.email);
    await browsers.signIn(admin);
  });

  afterAll(async () => {
    await browsers?.close();
    await t?.close();
  });

  it('shows Related as the server gives it, as a graph of links and a table, and never the hidden bulletin', async () => {
    const page = author.page;
    await page.goto(`${t.baseUrl}/bulletins/${first}`);
    const related = page.getByTestId('related');
    await related.getByTestId('related-table').waitFor();
    const rows = await related.getByTestId('related-table').locator('tbody tr').allInnerTexts();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('Login to the portal from a known address');
    expect(rows[0]).toContain('IP address or range: 203.0.113.45');
    expect(rows[0]).toContain('Domain name: pin-portal-login.example.com');
    expect(await page.content()).not.toContain('Customs only');
    expect(await page.content()).not.toContain(hidden);
    const graph = related.getByTestId('related-graph');
    expect(await graph.getAttribute('aria-label')).toBe('This bulletin and 1 related bulletin');
    await axe(page);
    await page.screenshot({ path: `${SCREENSHOTS}/related.png`, fullPage: true });
    // A node is a link like any other.
    await graph.getByRole('link', { name: 'Login to the portal from a known address: 2 shared values' }).click();
    await page.waitForURL(`**/bulletins/${later}`);
    await page.getByRole('heading', { name: 'Login to the portal from a known address' }).waitFor();
  });

  it('tells the author on the Alerts desk, where e-mail is turned on and the notice marked seen', async () => {
    await until(
      async () => (await t.gql(`{ correlationNotices { id } }`, {}, authorToken)).data.correlationNotices.length > 0,
    );
    const page = author.page;
    await page.goto(`${t.baseUrl}/alerts`);
    const notices = page.getByTestId('correlation-notices');
    await notices.getByRole('link', { name: 'Login to the portal from a known address' }).waitFor();
    await notices.getByLabel('1 new').waitFor();
    await notices.getByRole('switch', { name: 'Also tell me by e-mail' }).click();
    await until(async () => (await t.gql(`{ correlationMail }`, {}, authorToken)).data.correlationMail === true);
    await axe(page);
    await notices.getByRole('button', { name: 'Mark all as seen' }).click();
    await notices.getByRole('button', { name: 'Mark all as seen' }).waitFor({ state: 'detached' });
    expect(
      (await t.gql(`{ correlationNotices(unseenOnly: true) { id } }`, {}, authorToken)).data.correlationNotices,
    ).toEqual([]);
  });

  it('lets an organisation admin leave a value out of correlation', async () => {
    const page = admin.page;
    await page.goto(`${t.baseUrl}/sharing-rules`);
    const section = page.getByTestId('correlation-exclusions');
    await section.getByRole('textbox', { name: 'Value' }).fill('203.0.113.45');
    await section.getByRole('textbox', { name: 'Why (optional)' }).fill('our partner VPN');
    await section.getByRole('button', { name: 'Leave out for my organisation' }).click();
    await section.getByText('IP address or range: 203.0.113.45').waitFor();
    await axe(page);
    // The author's Related now shares the domain only.
    const related = await t.gql(
      `query($id: ID!) { bulletin(id: $id) { related { shared { value } } } }`,
      { id: first },
      authorToken,
    );
    expect(related.data.bulletin.related).toEqual([{ shared: [{ value: 'pin-portal-login.example.com' }] }]);
  });
});
