/**
 * The vetting desks in a real browser against the real server: a port authority's vetting officer
 * records a driver (the identity sealed, never shown back in full), a terminal's gate officer checks
 * the badge on a phone, the officer suspends the clearance and the gate sees it at once, and the
 * police cross-match a CSV of 1,500 subjects in batches and see the hit with whom to contact. Each
 * page passes axe-core in English and has every string in every language; each desk is absent for
 * roles that may not use it, and the server refuses them anyway.
 */
import { readFileSync } from 'node:fs';
import { MemberRole, OrganisationType } from '../src/common/organisation-type';
import {
  axe,
  Browsers,
  horizontalOverflow,
  inEveryLanguage,
  Person,
  PHONE,
  SCREENSHOTS,
  tabTo,
} from './helpers/browser';
import { login, makeOrganisation, makeUser } from './helpers/factory';
import { startTestApp, TestApp } from './helpers/test-app';

describe('the vetting desks', () => {
  let t: TestApp;
  let browsers: Browsers;
  let officer: Person;
  let gate: Person;
  let police: Person;
  let terminalAnalyst: string;
  let recordPath: string;
  const driver = { name: 'Jan Willem Visser', document: 'NXR4K71P2', country: 'NL' };

  beforeAll(async () => {
    t = await startTestApp();
    const authority = await makeOrganisation(t, OrganisationType.PORT_AUTHORITY, ['NLRTM'], 'Havenbedrijf Rotterdam');
    const policeOrg = await makeOrganisation(t, OrganisationType.POLICE, ['NLRTM'], 'Zeehavenpolitie Rotterdam');
    await makeOrganisation(t, OrganisationType.LOGISTICS_PROVIDER, ['NLRTM'], 'Rijnmond Logistics');
    const terminal = await makeOrganisation(t, OrganisationType.TERMINAL_OPERATOR, ['NLRTM'], 'Euromax Terminal');
    // "Terminal operators in Rotterdam may check the badges we vet."
    const admin = await makeUser(t, authority, MemberRole.ORG_ADMIN);
    await t.gql(
      `mutation($input: SharingRuleInput!) { createSharingRule(input: $input) { id } }`,
      {
        input: {
          subject: 'VETTING_STATUS',
          categories: [],
          maxTlp: 'AMBER',
          audience: { organisationTypes: ['TERMINAL_OPERATOR'], ports: ['NLRTM'] },
        },
      },
      (await login(t, admin.email)).token,
    );
    await t.gql(
      `mutation($input: OrganisationProfileInput!) { updateOrganisationProfile(input: $input) { id } }`,
      { input: { ports: ['NLRTM'], contactName: 'Vetting desk', contactEmail: 'vetting@portofrotterdam.example' } },
      (await login(t, admin.email)).token,
    );
    browsers = await Browsers.launch(t.baseUrl);
    officer = await browsers.open((await makeUser(t, authority, MemberRole.ANALYST)).email);
    gate = await browsers.open((await makeUser(t, terminal, MemberRole.MEMBER)).email, PHONE);
    police = await browsers.open((await makeUser(t, policeOrg, MemberRole.ANALYST)).email);
    terminalAnalyst = (await makeUser(t, terminal, MemberRole.ANALYST)).email;
    for (const p of [officer, gate, police]) await browsers.signIn(p);
  });

  afterAll(async () => {
    await browsers?.close();
    await t?.close();
  });

  it('records a staff member with the identity marked sealed, and never shows the document number back in full', async () => {
    const page = officer.page;
    await page.getByRole('navigation', { name: 'Desks' }).getByRole('link', { name: 'Vetting' }).click();
    await page.getByRole('heading', { name: 'Vetting records' }).waitFor();
    await page.getByRole('link', { name: 'Record a vetting' }).click();
    const form = page.getByRole('form', { name: 'Record a vetting' });
    await form.getByText('Sealed', { exact: true }).waitFor();
    await form.getByLabel('Full name').fill(driver.name);
    // Dates as the officer writes them (en-GB), and shown back so (issue 27, bug 8).
    await form.getByLabel('Date of birth').fill('17/03/1984');
    await form.getByLabel('Date of birth').blur();
    expect(await form.getByLabel('Date of birth').inputValue()).toBe('17/03/1984');
    await form.getByLabel('Document number').fill(driver.document);
    await form.getByLabel('Issuing country').fill(driver.country);
    await form.getByRole('combobox', { name: 'Employer' }).click();
    await page.getByRole('option', { name: 'Rijnmond Logistics' }).click();
    await form.getByRole('combobox', { name: 'Status' }).click();
    await page.getByRole('option', { name: 'Cleared', exact: true }).click();
    const [y, m, d] = new Date(Date.now() + 20 * 86_400_000).toISOString().slice(0, 10).split('-');
    // The calendar open: its arrows are named buttons too.
    await form.getByLabel('Valid until').click();
    await page.getByRole('button', { name: 'Next month' }).waitFor();
    await axe(page);
    await form.getByLabel('Valid until').fill(`${d}/${m}/${y}`);
    await form.getByLabel('Valid until').blur();
    expect(await form.getByLabel('Valid until').inputValue()).toBe(`${d}/${m}/${y}`);
    await axe(page);
    await form.getByRole('button', { name: 'Save record' }).click();
    await page.waitForURL(/\/vetting\/[0-9a-f-]{36}$/);
    recordPath = new URL(page.url()).pathname;
    await page.getByRole('heading', { name: `${driver.name} · NL •••1P2` }).waitFor();
    await page.getByText('Cleared', { exact: true }).first().waitFor();
    expect(await page.locator('body').innerText()).not.toContain(driver.document);
    await axe(page);

    // Expiring within 30 days: first on the desk, and the list never carries the full number either.
    await page.getByRole('link', { name: 'Back to the records' }).click();
    const soon = page.getByRole('list', { name: 'Expiring within 30 days' });
    await soon.getByRole('link', { name: `${driver.name} · NL •••1P2` }).waitFor();
    await page
      .getByRole('region', { name: 'Retention' })
      .getByText(/purged 730 days after they end/)
      .waitFor();
    // An analyst reads the rule; only the authority's admins change it.
    expect(await page.getByRole('button', { name: 'Change retention' }).count()).toBe(0);
    expect(await page.locator('body').innerText()).not.toContain(driver.document);
    await axe(page);
    await page.screenshot({ path: `${SCREENSHOTS}/vetting-records.png`, fullPage: true });
  });

  it('answers the gate in a glance on a phone: cleared, then not cleared once suspended, unknown for what it may not see', async () => {
    const page = gate.page;
    await page.getByRole('button', { name: 'Menu' }).click();
    const nav = page.getByRole('navigation', { name: 'Desks' });
    expect(await nav.getByRole('link', { name: 'Vetting' }).count()).toBe(0);
    expect(await nav.getByRole('link', { name: 'Cross-match' }).count()).toBe(0);
    await nav.getByRole('link', { name: 'Gate check' }).click();
    const check = async (document: string) => {
      await page.getByLabel('Badge or document number').fill(document);
      await page.getByRole('button', { name: 'Check' }).click();
    };
    const answer = page.getByTestId('gate-answer');
    await check('nxr-4k71-p2');
    await answer.getByText('Cleared', { exact: true }).waitFor();
    expect(await answer.innerText()).toContain('vetted by Havenbedrijf Rotterdam');
    expect(await horizontalOverflow(page)).toBe(0);
    await axe(page);
    await page.screenshot({ path: `${SCREENSHOTS}/gate-check.png` });
    await check('NXR0000000');
    await answer.getByText('Unknown', { exact: true }).waitFor();
    await axe(page);

    // The officer suspends the clearance, stating the effect first; the gate's next check says so.
    const desk = officer.page;
    await desk.goto(`${t.baseUrl}${recordPath}`);
    const change = desk.getByRole('region', { name: 'Change status' });
    await change.getByRole('combobox', { name: 'Status' }).click();
    await desk.getByRole('option', { name: 'Suspended' }).click();
    await change.getByRole('combobox', { name: 'Reason' }).click();
    await desk.getByRole('option', { name: 'Links to organised crime' }).click();
    await change.getByLabel('Why').fill('Seen with the extraction team at stack 14.');
    await change.getByRole('button', { name: 'Change status' }).click();
    const dialog = desk.getByRole('dialog');
    await dialog.getByText(/badge checks answer not cleared at once/).waitFor();
    await axe(desk, '[role="dialog"]');
    await dialog.getByRole('button', { name: 'Change status' }).click();
    await desk
      .getByRole('list', { name: 'History' })
      .getByText(/Seen with the extraction team/)
      .waitFor();
    await check('NXR4K71P2');
    await answer.getByText('Not cleared', { exact: true }).waitFor();
    expect(await answer.innerText()).toContain('Suspended');
    expect(await answer.innerText()).not.toContain('organised crime');
  });

  it('reaches a record and its decisions with the keyboard alone', async () => {
    const page = officer.page;
    await page.goto(`${t.baseUrl}/vetting`);
    const link = page.getByRole('list', { name: 'All records' }).getByRole('link').first();
    await link.waitFor();
    await tabTo(page, link);
    await page.keyboard.press('Enter');
    await page.getByRole('list', { name: 'History' }).waitFor();
    await tabTo(page, page.getByRole('region', { name: 'Record end of employment' }).getByLabel('Employment ended on'));
  });

  it('checks a badge with the keyboard alone: the field has the focus, Enter answers', async () => {
    const page = gate.page;
    await page.goto(`${t.baseUrl}/gate`);
    await page.getByLabel('Badge or document number').waitFor();
    await page.keyboard.type('NXR4K71P2');
    await page.keyboard.press('Enter');
    await page.getByTestId('gate-answer').getByText('Not cleared', { exact: true }).waitFor();
  });

  it('lists records on a phone without scrolling sideways', async () => {
    const phone = await browsers.open(officer.email, PHONE);
    await browsers.signIn(phone);
    await phone.page.goto(`${t.baseUrl}/vetting`);
    await phone.page.getByRole('list', { name: 'All records' }).getByRole('link').first().waitFor();
    expect(await horizontalOverflow(phone.page)).toBe(0);
    await axe(phone.page);
    await phone.context.close();
  });

  it('cross-matches a CSV of 1,500 subjects in batches for the police, showing the hit and whom to contact', async () => {
    const page = police.page;
    await page.getByRole('navigation', { name: 'Desks' }).getByRole('link', { name: 'Cross-match' }).click();
    const [template] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download template' }).click(),
    ]);
    expect(readFileSync(await template.path(), 'utf8')).toBe('"documentNumber","issuingCountry"');
    const lines = ['documentNumber;issuingCountry'];
    for (let i = 0; i < 1500; i++) lines.push(i === 1234 ? `${driver.document.toLowerCase()};nl` : `ZZ${i}X9;BE`);
    await page.locator('input[type="file"]').setInputFiles({
      name: 'subjects.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(lines.join('\n')),
    });
    await page.getByRole('button', { name: 'Cross-match', exact: true }).click();
    await page.getByRole('status').getByText('1,500 of 1,500 subjects checked').waitFor();
    const hits = page.getByRole('table', { name: 'Hits' });
    await page.getByRole('heading', { name: '1 hit' }).waitFor();
    const row = hits.getByRole('row').nth(1);
    expect(await row.innerText()).toMatch(
      /1236\s+NL nxr4k71p2\s+Suspended\s+Havenbedrijf Rotterdam · Vetting desk · vetting@portofrotterdam.example/i,
    );
    expect(await page.locator('body').innerText()).not.toContain(driver.name);
    await axe(page);
    // A file without the columns is refused before anything is sent.
    await page.locator('input[type="file"]').setInputFiles({
      name: 'wrong.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('name,country\nX,NL'),
    });
    await page.getByRole('button', { name: 'Cross-match', exact: true }).click();
    await page.getByRole('alert').getByText('Missing columns: documentNumber, issuingCountry.').waitFor();
  });

  it('keeps the desks from roles that may not use them, and the server refuses them anyway', async () => {
    const analyst = await browsers.open(terminalAnalyst);
    await browsers.signIn(analyst);
    const nav = analyst.page.getByRole('navigation', { name: 'Desks' });
    await nav.getByRole('link', { name: 'Vetting' }).waitFor(); // an employer's analysts read their staff's records
    expect(await nav.getByRole('link', { name: 'Cross-match' }).count()).toBe(0);
    await analyst.page.goto(`${t.baseUrl}/cross-match`);
    await analyst.page
      .getByRole('alert')
      .getByText('Only analysts and administrators of a port authority, police or customs do this.')
      .waitFor();
    await analyst.page.goto(`${t.baseUrl}/vetting`);
    await analyst.page.getByRole('heading', { name: 'Vetting records' }).waitFor();
    expect(await analyst.page.getByRole('link', { name: 'Record a vetting' }).count()).toBe(0);
    expect(await analyst.page.getByRole('region', { name: 'Retention' }).count()).toBe(0);
    await analyst.page.goto(`${t.baseUrl}${recordPath}`);
    await analyst.page.getByText('Not found, or not shared with you.').waitFor();
    await analyst.context.close();

    const { token } = await login(t, terminalAnalyst);
    const refused = await t.gql(
      `query($s: [VettingSubjectKeyInput!]!) { crossMatchSubjects(subjects: $s) { index } }`,
      { s: [{ documentNumber: driver.document, issuingCountry: 'NL' }] },
      token,
    );
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await t.gql(`{ vettingRetention { days } }`, {}, token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('has every string in every language on the vetting desks', async () => {
    await inEveryLanguage(officer.page, t.baseUrl, ['/vetting', '/vetting/new', recordPath, '/gate', '/cross-match']);
  }, 120_000);

  it('met the Content-Security-Policy on every page', () => {
    expect(browsers.violations).toEqual([]);
  });
});
