/**
 * The feed as a table on a desk (issue 27): a police analyst at 1440x900 sees twenty bulletins and more
 * at once, chooses the columns, sorts by severity on the server, filters with chips that remove
 * themselves, and works the list by keyboard alone: move, select, mark as read, acknowledge, open.
 */
import { MemberRole, OrganisationType } from '../src/common/organisation-type';
import { axe, Browsers, Person, SCREENSHOTS, tabTo } from './helpers/browser';
import { publishBulletin } from './helpers/bulletins';
import { login, makeOrganisation, makeUser } from './helpers/factory';
import { startTestApp, TestApp } from './helpers/test-app';

describe('the feed as a table', () => {
  let t: TestApp;
  let browsers: Browsers;
  let analyst: Person;
  let policeOrg: string;
  let colleague: Person;

  beforeAll(async () => {
    t = await startTestApp();
    const terminal = await makeOrganisation(t, OrganisationType.TERMINAL_OPERATOR, ['NLRTM'], 'Noordzee Terminal');
    policeOrg = await makeOrganisation(t, OrganisationType.POLICE, ['NLRTM'], 'Zeehavenpolitie');
    const author = (await login(t, (await makeUser(t, terminal, MemberRole.ANALYST)).email)).token;
    for (let i = 1; i <= 26; i++) {
      await publishBulletin(t, author, {
        tlp: 'GREEN',
        title: `Gate log ${i}: badge used twice`,
        severity: i === 3 ? 'EXTREME' : 'MINOR',
      });
    }
    // The newest: for the police by name, awaiting its acknowledgement.
    await publishBulletin(t, author, {
      tlp: 'AMBER',
      title: 'Extraction team seen at stack 14',
      recipientOrganisationIds: [policeOrg],
      severity: 'SEVERE',
    });
    browsers = await Browsers.launch(t.baseUrl);
    analyst = await browsers.open((await makeUser(t, policeOrg, MemberRole.ANALYST)).email, {
      viewport: { width: 1440, height: 900 },
    });
    await browsers.signIn(analyst);
    colleague = await browsers.open((await makeUser(t, policeOrg, MemberRole.MEMBER)).email, {
      viewport: { width: 1440, height: 900 },
    });
    await browsers.signIn(colleague);
  });

  afterAll(async () => {
    await browsers?.close();
    await t?.close();
  });

  const rowsOf = (page: Person['page']) => page.locator('tbody tr');
  const rows = () => rowsOf(analyst.page);
  /** Waits until the table shows exactly `n` bulletins (the page's policy allows no evaluated strings). */
  const exactly = async (page: Person['page'], n: number) => {
    await rowsOf(page)
      .nth(n - 1)
      .waitFor();
    await rowsOf(page).nth(n).waitFor({ state: 'detached' });
  };
  const focusedRow = () => analyst.page.evaluate<string | null>('document.activeElement?.dataset.feedRow ?? null');

  it('shows twenty bulletins or more at 1440x900, in the columns the analyst chooses', async () => {
    const page = analyst.page;
    await rows().nth(26).waitFor();
    const visible = await page.evaluate<number>(
      `[...document.querySelectorAll('tbody tr')].filter((tr) => tr.getBoundingClientRect().bottom <= innerHeight).length`,
    );
    await page.screenshot({ path: `${SCREENSHOTS}/feed-table.png` });
    expect(visible).toBeGreaterThanOrEqual(20);
    await axe(page);

    expect(await page.getByRole('columnheader', { name: 'Grading' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Columns' }).click();
    await page.getByRole('checkbox', { name: 'Grading (reliability and credibility)' }).click();
    await page.waitForURL(/cols=/);
    await page.getByRole('columnheader', { name: 'Grading' }).waitFor();
    await page.keyboard.press('Escape');
    // The choice stays with the address, as a saved link or a reload keeps it.
    await page.reload();
    await page.getByRole('columnheader', { name: 'Grading' }).waitFor();
  });

  it('sorts by severity on the server, and says so to screen readers', async () => {
    const page = analyst.page;
    await page.getByRole('button', { name: /^Severity/ }).click();
    await page.waitForURL(/order=SEVERITY/);
    await rows().first().filter({ hasText: 'Gate log 3: badge used twice' }).waitFor();
    await rows().nth(1).filter({ hasText: 'Extraction team seen at stack 14' }).waitFor();
    expect(await page.getByRole('columnheader', { name: /^Severity/ }).getAttribute('aria-sort')).toBe('descending');
    await page.getByRole('button', { name: /^Published/ }).click();
    await page.waitForURL((url) => !url.search.includes('order='));
    await rows().first().filter({ hasText: 'Extraction team seen at stack 14' }).waitFor();
  });

  it('filters with chips that remove themselves', async () => {
    const page = analyst.page;
    await page.getByLabel('Text or indicator').fill('stack 14');
    await page.getByLabel('Text or indicator').press('Enter');
    const chips = page.getByRole('list', { name: 'Active filters' });
    await chips.getByText('“stack 14”').waitFor();
    await axe(page);
    await exactly(page, 1);
    await chips.getByRole('button', { name: 'Remove filter “stack 14”' }).click();
    await rows().nth(26).waitFor();
    expect(await page.getByRole('list', { name: 'Active filters' }).count()).toBe(0);
  });

  it('works by keyboard alone: move, select, mark as read, acknowledge, open', async () => {
    const page = analyst.page;
    await page.goto(`${t.baseUrl}/`);
    await rows().nth(26).waitFor();
    // Tab reaches the first row (one row takes Tab, not every link and checkbox of every row).
    await tabTo(page, rows().first());
    await page.keyboard.press('ArrowDown');
    expect(await focusedRow()).toBe('1');
    await page.keyboard.press('x');
    await page.keyboard.press('j');
    await page.keyboard.press('x');
    await page.getByText('2 selected').waitFor();
    await page.keyboard.press('r');
    await page.getByText('2 bulletins marked as read.').waitFor();
    for (const i of [1, 2]) expect(await rows().nth(i).getByText('New', { exact: true }).count()).toBe(0);
    expect(await rows().nth(3).getByText('New', { exact: true }).count()).toBe(1);

    // Back to the top: the alert for the police, acknowledged from its row.
    await page.keyboard.press('Home');
    expect(await focusedRow()).toBe('0');
    await page.keyboard.press('a');
    await page.getByText('Acknowledged for your organisation: 1 of 1.').waitFor();
    await rows().first().getByText('Acknowledged', { exact: true }).waitFor();
    const acknowledged = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM bulletin_acknowledgements WHERE organisation_id = $1`,
      [policeOrg],
    );
    expect(acknowledged[0].n).toBe(1);
    await axe(page);

    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Extraction team seen at stack 14' }).waitFor();
  });

  it('shares a saved view with a colleague, who opens it and makes it where the feed opens', async () => {
    const page = analyst.page;
    await page.goto(`${t.baseUrl}/?severity=SEVERE&order=SEVERITY`);
    await page.getByRole('button', { name: 'Save view' }).click();
    await page.getByLabel('Name of the view').fill('Severe first');
    await page.getByLabel('Share with my organisation').check();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('button', { name: 'Delete view' }).waitFor();
    expect(await page.getByRole('combobox', { name: 'View' }).inputValue()).toBe('Severe first');
    await axe(page);

    const desk = colleague.page;
    await desk.goto(`${t.baseUrl}/`);
    await rowsOf(desk).nth(26).waitFor();
    await desk.getByRole('combobox', { name: 'View' }).click();
    await desk.getByRole('option', { name: /^Severe first \(shared by / }).click();
    await desk.waitForURL(/severity=SEVERE/);
    await exactly(desk, 2);
    await rowsOf(desk).first().filter({ hasText: 'Gate log 3: badge used twice' }).waitFor();
    // Theirs to open and to start from, not to change.
    expect(await desk.getByRole('button', { name: 'Delete view' }).count()).toBe(0);
    await desk.getByRole('button', { name: 'Open the feed on this view' }).click();
    await desk.getByRole('button', { name: 'The feed opens on this view' }).waitFor();
    await desk.goto(`${t.baseUrl}/`);
    await desk.waitForURL(/severity=SEVERE/);
    await exactly(desk, 2);
  });
});
