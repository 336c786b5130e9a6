/**
 * Acting on an alert in a real browser against the real server: a terminal publishes a graded
 * AMBER+STRICT alert to the police and asks for a response within four hours; the police analyst
 * finds it under "Awaiting our response", sees only that it was shared with their organisation,
 * records where the container was seen and responds; the terminal's analyst sees the response, the
 * sighting and what the police did with the alert. A case handler starts a draft from a case.
 */
import { MemberRole, OrganisationType } from '../src/common/organisation-type';
import { axe, Browsers, inEveryLanguage, Person, SCREENSHOTS } from './helpers/browser';
import { publishBulletin, uniqueContainerNumber } from './helpers/bulletins';
import { login, makeOrganisation, makeUser } from './helpers/factory';
import { startTestApp, TestApp } from './helpers/test-app';
import { CASES, OPT_IN, submitReport } from './helpers/whistleblowing';

describe('acting on alerts in the console', () => {
  let t: TestApp;
  let browsers: Browsers;
  let terminal: Person;
  let police: Person;
  let bulletinId: string;
  let policeOrg: string;
  let policeEmail: string;
  const container = uniqueContainerNumber('MSCU');

  beforeAll(async () => {
    t = await startTestApp();
    const terminalOrg = await makeOrganisation(t, OrganisationType.TERMINAL_OPERATOR, ['NLRTM'], 'Noordzee Terminal');
    policeOrg = await makeOrganisation(t, OrganisationType.POLICE, ['NLRTM'], 'Zeehavenpolitie');
    const analyst = await makeUser(t, terminalOrg, MemberRole.ANALYST);
    const officer = await makeUser(t, policeOrg, MemberRole.ORG_ADMIN);
    policeEmail = officer.email;
    bulletinId = await publishBulletin(t, (await login(t, analyst.email)).token, {
      title: 'Cloned container seen leaving the stack',
      tlp: 'AMBER_STRICT',
      recipientOrganisationIds: [policeOrg],
      respondWithinMinutes: 240,
      sourceReliability: 'B',
      informationCredibility: 'PROBABLY_TRUE',
      indicators: [{ type: 'CONTAINER_NUMBER', value: container }],
    });
    browsers = await Browsers.launch(t.baseUrl);
    terminal = await browsers.open(analyst.email);
    police = await browsers.open(officer.email);
    await browsers.signIn(terminal);
    await browsers.signIn(police);
  });

  afterAll(async () => {
    await browsers?.close();
    await t?.close();
  });

  it('lets the recipient find, sight and answer the alert without learning who else has it', async () => {
    const page = police.page;
    // The filter lives in the address and shows as a chip once the page has moved there.
    await page.getByRole('button', { name: 'More filters' }).click();
    await page.getByLabel('Awaiting our response').click();
    await page.waitForURL(/awaiting=1/);
    await page.keyboard.press('Escape');
    await page.getByRole('list', { name: 'Active filters' }).getByText('Awaiting our response').waitFor();
    await page.getByRole('link', { name: 'Cloned container seen leaving the stack' }).click();
    await page.getByRole('heading', { name: 'Cloned container seen leaving the stack' }).waitFor();
    await page.getByText('Grading B2', { exact: false }).first().waitFor();
    expect(await page.getByTestId('recipients').innerText()).toBe('Shared with your organisation');

    // The forms open on demand: the page leads with the bulletin (issue 27, bug 9).
    const sightings = page.getByRole('region', { name: 'Sightings' });
    expect(await sightings.getByRole('combobox', { name: 'Indicator' }).count()).toBe(0);
    await sightings.getByRole('button', { name: 'Record a sighting' }).click();
    await sightings.getByRole('combobox', { name: 'Indicator' }).click();
    await page.getByRole('option', { name: container }).click();
    await sightings.getByRole('textbox', { name: 'Port (UN/LOCODE)' }).fill('BEANR');
    await sightings.getByRole('button', { name: 'Record sighting' }).click();
    await sightings.getByTestId('sighting').filter({ hasText: 'BEANR' }).waitFor();
    expect(await sightings.getByTestId('sighting').innerText()).toContain('Zeehavenpolitie');

    const responses = page.getByRole('region', { name: 'Responses' });
    await responses.getByText(/respond by/).waitFor();
    await responses.getByRole('button', { name: "Record your organisation's response" }).click();
    await responses.getByRole('combobox', { name: 'What your organisation did' }).click();
    await page.getByRole('option', { name: 'Badge suspended' }).click();
    await responses.getByRole('textbox', { name: 'Note' }).fill('Badge 4471 blocked at gate 7');
    await responses.getByRole('button', { name: 'Respond for my organisation' }).click();
    await responses.getByText(/Your organisation responded: Badge suspended/).waitFor();
    await axe(page);
  });

  it('shows the author every response, the sighting and what the recipient did with the alert', async () => {
    const page = terminal.page;
    await page.goto(`${t.baseUrl}/bulletins/${bulletinId}`);
    const responses = page.getByTestId('responses');
    await responses.getByText('Badge suspended', { exact: false }).waitFor();
    expect(await responses.innerText()).toContain('Badge 4471 blocked at gate 7');
    expect(await page.getByRole('region', { name: 'Sightings' }).innerText()).toContain('Zeehavenpolitie');
    const reach = page.getByTestId('reach');
    await reach.getByText('Zeehavenpolitie').waitFor();
    // AMBER+STRICT: the people who opened it are named.
    expect(await reach.innerText()).toContain(policeEmail.split('@')[0]);
    expect(await reach.innerText()).toContain('Badge suspended');
    await axe(page);
    await page.screenshot({ path: `${SCREENSHOTS}/bulletin-responses.png`, fullPage: true });
    await inEveryLanguage(page, t.baseUrl, [`/bulletins/${bulletinId}`]);
    // The indicator search shows the sighting beside the hit.
    await page.goto(`${t.baseUrl}/search?value=${container.toLowerCase()}`);
    await page.getByTestId('sighting').filter({ hasText: 'BEANR' }).waitFor();
    await axe(page);
  });

  it('starts a draft bulletin from a case, with none of the report in it', async () => {
    const page = police.page;
    await t.gql(OPT_IN, { accept: true }, (await login(t, policeEmail)).token);
    await submitReport(t, { recipientOrganisationId: policeOrg, text: 'Crane 14 driver paid to move boxes.' });
    // A fresh sign-in unlocks the handler's case key, now that the organisation accepts reports.
    await browsers.signIn(police);
    const token = (await login(t, policeEmail)).token;
    const caseId = (await t.gql(CASES, {}, token)).data.whistleblowerCases.edges[0].node.id;
    await page.goto(`${t.baseUrl}/cases/${caseId}`);
    const section = page.getByRole('region', { name: 'Draft a bulletin' });
    await section.getByRole('button', { name: 'Draft a bulletin' }).click();
    await page
      .getByRole('dialog')
      .getByText(/nothing of the report copied/)
      .waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Draft a bulletin' }).click();
    await page.waitForURL(/\/compose\//);
    const title = page.getByRole('textbox', { name: 'Title' });
    await title.waitFor();
    expect(await title.inputValue()).toBe('Untitled draft');
    expect(await page.locator('body').innerText()).not.toContain('Crane 14');
    await page.getByRole('combobox', { name: 'Ask recipients to respond' }).waitFor();
    await axe(page);
  });
});
