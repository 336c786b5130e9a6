/**
 * The dashboard in the browser (issue 27): for a police member and a terminal's analyst, every number on
 * the page equals the server's `dashboard` answer for them, a bulletin one cannot read is never counted,
 * and the map shows the ports in use.
 */
import { MemberRole, OrganisationType } from '../src/common/organisation-type';
import { axe, Browsers, Person, SCREENSHOTS } from './helpers/browser';
import { publishBulletin } from './helpers/bulletins';
import { login, makeOrganisation, makeUser } from './helpers/factory';
import { startTestApp, TestApp } from './helpers/test-app';

const DASHBOARD = `query { dashboard(weeks: 12) {
  weeks { byCategory { count } }
  ports { port bulletins sightings }
  openResponses overdueResponses
  acknowledgements { recipients acknowledged }
} }`;

interface Figures {
  weeks: { byCategory: { count: number }[] }[];
  ports: { port: string; bulletins: number; sightings: number }[];
  openResponses: number;
  overdueResponses: number;
  acknowledgements: { recipients: number; acknowledged: number };
}

describe('the dashboard', () => {
  let t: TestApp;
  let browsers: Browsers;
  const people: { person: Person; token: string }[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    const terminal = await makeOrganisation(t, OrganisationType.TERMINAL_OPERATOR, ['NLRTM'], 'Noordzee Terminal');
    const police = await makeOrganisation(t, OrganisationType.POLICE, ['NLRTM'], 'Zeehavenpolitie');
    const customs = await makeOrganisation(t, OrganisationType.CUSTOMS, ['DEHAM'], 'Zoll Hamburg');
    const analyst = await makeUser(t, terminal, MemberRole.ANALYST);
    const officer = await makeUser(t, police, MemberRole.MEMBER);
    const author = (await login(t, analyst.email)).token;
    const officerToken = (await login(t, officer.email)).token;
    await publishBulletin(t, author, { tlp: 'GREEN', category: 'PIN_FRAUD', ports: ['NLRTM'] });
    const forPolice = await publishBulletin(t, author, {
      tlp: 'AMBER',
      category: 'EXTRACTION_TEAM',
      ports: ['BEANR', 'NLRTM'],
      recipientOrganisationIds: [police],
      respondWithinMinutes: 240,
      indicators: [{ type: 'CONTAINER_NUMBER', value: 'CSQU3054383' }],
    });
    // For customs alone: the police never count it, the terminal (its author) does.
    await publishBulletin(t, author, {
      tlp: 'AMBER_STRICT',
      category: 'INSIDER_THREAT',
      ports: ['DEHAM'],
      recipientOrganisationIds: [customs],
    });
    const sighting = await t.gql(
      `mutation($i: SightingInput!) { recordSighting(input: $i) { id } }`,
      {
        i: {
          bulletinId: forPolice,
          indicatorType: 'CONTAINER_NUMBER',
          value: 'CSQU3054383',
          kind: 'SEEN',
          port: 'NLRTM',
          seenAt: new Date(Date.now() - 60_000).toISOString(),
        },
      },
      officerToken,
    );
    expect(sighting.errors).toBeUndefined();
    browsers = await Browsers.launch(t.baseUrl);
    for (const [user, token] of [
      [officer, officerToken],
      [analyst, author],
    ] as const) {
      const person = await browsers.open(user.email, { viewport: { width: 1440, height: 1000 } });
      await browsers.signIn(person);
      people.push({ person, token });
    }
  });

  afterAll(async () => {
    await browsers?.close();
    await t?.close();
  });

  it.each([
    ['a police member', 0],
    ["the terminal's analyst", 1],
  ])('shows %s the numbers the server counts for them, and their ports on the map', async (_who, i) => {
    const { person, token } = people[i];
    const server = (await t.gql(DASHBOARD, {}, token)).data.dashboard as Figures;
    const page = person.page;
    await page.goto(`${t.baseUrl}/dashboard`);
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.getByTestId('per-port-table').waitFor();

    expect(await page.getByTestId('open-responses').innerText()).toBe(String(server.openResponses));
    expect(await page.getByTestId('overdue-responses').innerText()).toBe(String(server.overdueResponses));
    const { recipients, acknowledged } = server.acknowledgements;
    expect(await page.getByTestId('acknowledgements').innerText()).toBe(
      recipients
        ? `${acknowledged} of ${recipients} (${Math.round((100 * acknowledged) / recipients)} %)`
        : 'No bulletin named recipients',
    );
    // The weekly table's totals, week by week, and the ports' table, row by row.
    const totals = await page.getByTestId('per-week-table').locator('tbody tr td:last-child').allInnerTexts();
    expect(totals.map(Number)).toEqual(server.weeks.map((w) => w.byCategory.reduce((n, c) => n + c.count, 0)));
    const ports = await page.getByTestId('per-port-table').locator('tbody tr').allInnerTexts();
    expect(ports.map((row) => row.split('\t'))).toEqual(
      server.ports.map((p) => [p.port, String(p.bulletins), String(p.sightings)]),
    );
    const onMap = await page
      .getByTestId('port-map')
      .locator('[data-port]')
      .evaluateAll((gs) => gs.map((g) => g.getAttribute('data-port')));
    expect(onMap.sort()).toEqual(server.ports.map((p) => p.port).sort());
    await axe(page);
    if (i === 0) await page.screenshot({ path: `${SCREENSHOTS}/dashboard.png`, fullPage: true });

    // What each may read, and nothing else: customs' bulletin counts for its author only.
    const weekTotal = totals.map(Number).reduce((a, b) => a + b, 0);
    expect(weekTotal).toBe(i === 0 ? 2 : 3);
    expect(server.ports.some((p) => p.port === 'DEHAM')).toBe(i === 1);
    expect(server.ports.find((p) => p.port === 'NLRTM')).toEqual({ port: 'NLRTM', bulletins: 2, sightings: 1 });
  });
});
