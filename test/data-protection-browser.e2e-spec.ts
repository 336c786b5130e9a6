/**
 * Data protection in the browser: the DPO's desk (register, processing log with its export, requests),
 * a justification asked before opening RED, a member erased from the Members desk with what happened to
 * each category, and a person downloading their own data.
 */
import { readFileSync } from 'node:fs';
import { MemberRole, OrganisationType } from '../src/common/organisation-type';
import { axe, Browsers, inEveryLanguage } from './helpers/browser';
import { publishBulletin } from './helpers/bulletins';
import { login, makeOrganisation, makeUser } from './helpers/factory';
import { startTestApp, TestApp } from './helpers/test-app';

describe('data protection in the console', () => {
  let t: TestApp;
  let browsers: Browsers;
  let people: Record<'dpo' | 'analyst' | 'admin' | 'leaving', { id: string; email: string }>;
  let redId: string;

  beforeAll(async () => {
    t = await startTestApp();
    const police = await makeOrganisation(t, OrganisationType.POLICE, ['NLRTM'], 'Zeehavenpolitie Rotterdam');
    const authority = await makeOrganisation(t, OrganisationType.PORT_AUTHORITY, ['NLRTM'], 'Havenbedrijf Rotterdam');
    people = {
      dpo: await makeUser(t, police, MemberRole.DPO),
      analyst: await makeUser(t, police, MemberRole.ANALYST),
      admin: await makeUser(t, police, MemberRole.ORG_ADMIN),
      leaving: await makeUser(t, police, MemberRole.MEMBER),
    };
    const author = await makeUser(t, authority, MemberRole.ANALYST);
    redId = await publishBulletin(t, (await login(t, author.email)).token, {
      tlp: 'RED',
      title: 'Extraction team at Maasvlakte II',
      recipientUserIds: [people.analyst.id],
    });
    await t.dataSource.query(`UPDATE organisations SET requires_justification = true WHERE id = $1`, [police]);
    browsers = await Browsers.launch(t.baseUrl);
  });

  afterAll(async () => {
    await browsers?.close();
    await t?.close();
  });

  it('asks the analyst why before opening RED, and shows the DPO the opening with its justification', async () => {
    const analyst = await browsers.open(people.analyst.email);
    await browsers.signIn(analyst);
    await analyst.page.goto(`${t.baseUrl}/bulletins/${redId}`);
    await analyst.page.getByRole('heading', { name: 'Why do you open this bulletin?' }).waitFor();
    await axe(analyst.page);
    await analyst.page.getByRole('textbox', { name: 'Justification' }).fill('Investigation 2026/114, crane crew');
    await analyst.page.getByRole('button', { name: 'Open the bulletin' }).click();
    await analyst.page.getByRole('heading', { name: 'Extraction team at Maasvlakte II' }).waitFor();

    const dpo = await browsers.open(people.dpo.email);
    await browsers.signIn(dpo);
    await dpo.page.getByRole('link', { name: 'Data protection' }).click();
    await dpo.page.getByRole('heading', { name: 'Data protection' }).waitFor();
    const register = dpo.page.getByRole('table', { name: 'Register of processing' });
    await register.getByRole('row', { name: /^whistleblower_cases/ }).waitFor();
    const opening = dpo.page.getByTestId('processing-log').getByRole('row', { name: /readBulletin/ });
    expect(await opening.innerText()).toMatch(/Consultation[\s\S]*Investigation 2026\/114, crane crew/);
    await axe(dpo.page);
    const [download] = await Promise.all([
      dpo.page.waitForEvent('download'),
      dpo.page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv.split('\r\n')[0]).toBe(
      '"at","operation","action","person","object type","object id","justification","recipients"',
    );
    expect(csv).toContain(`"CONSULTATION","readBulletin"`);
    expect(csv).toContain('"Investigation 2026/114, crane crew"');
    expect(csv).not.toContain('Extraction team at Maasvlakte II');
    await inEveryLanguage(dpo.page, t.baseUrl, ['/data-protection']);
  });

  it('erases a member from the Members desk, saying what happened to each category; the DPO sees the request', async () => {
    const admin = await browsers.open(people.admin.email);
    await browsers.signIn(admin);
    await admin.page.getByRole('link', { name: 'Members' }).click();
    await admin.page.getByRole('button', { name: `Erase ${people.leaving.email.split('@')[0]}` }).click();
    await admin.page.getByText(/If they belong to no other, their account is pseudonymised/).waitFor();
    await admin.page.getByRole('dialog').getByRole('button', { name: 'Erase' }).click();
    const outcome = admin.page.getByRole('status').filter({ hasText: 'Erasure of' });
    await outcome.getByText(/Account: pseudonymised as "Former member #\d+ of Zeehavenpolitie Rotterdam"/).waitFor();
    await outcome.getByText('Audit trail: kept under the pseudonym').waitFor();
    await axe(admin.page);
    expect(await admin.page.getByRole('table', { name: 'Members' }).getByText(people.leaving.email).count()).toBe(0);

    const dpo = await browsers.open(people.dpo.email);
    await browsers.signIn(dpo);
    await dpo.page.goto(`${t.baseUrl}/data-protection`);
    await dpo.page
      .getByTestId('data-subject-requests')
      .getByRole('row', { name: /Erasure/ })
      .getByText(/Former member #\d+ of Zeehavenpolitie Rotterdam/)
      .first()
      .waitFor();
  });

  it("answers a vetting subject's access request from the Vetting desk with a file of the authority's records", async () => {
    const analystToken = (await login(t, people.analyst.email)).token;
    const terminal = await makeOrganisation(t, OrganisationType.TERMINAL_OPERATOR, ['NLRTM'], 'Noordzee Terminal');
    const recorded = await t.gql(
      `mutation($input: RecordVettingInput!) { recordVetting(input: $input) { id } }`,
      {
        input: {
          documentNumber: 'NX4471902',
          issuingCountry: 'NL',
          fullName: 'Jan de Kraanmachinist',
          dateOfBirth: '1981-06-14',
          employerOrganisationId: terminal,
          level: 'BASIC',
          status: 'CLEARED',
          validUntil: new Date(Date.now() + 365 * 86_400_000).toISOString(),
        },
      },
      analystToken,
    );
    expect(recorded.errors).toBeUndefined();
    const analyst = await browsers.open(people.analyst.email);
    await browsers.signIn(analyst);
    await analyst.page.getByRole('link', { name: 'Vetting', exact: true }).click();
    const section = analyst.page.getByRole('region', { name: "A subject's access request" });
    await section.getByRole('textbox', { name: 'Badge or document number' }).fill('NX 4471902');
    await section.getByRole('textbox', { name: 'Country' }).fill('nl');
    const [download] = await Promise.all([
      analyst.page.waitForEvent('download'),
      section.getByRole('button', { name: 'Answer with a file' }).click(),
    ]);
    const answer = JSON.parse(readFileSync(await download.path(), 'utf8'));
    expect(answer.records).toEqual([
      expect.objectContaining({
        id: recorded.data.recordVetting.id,
        status: 'CLEARED',
        subject: expect.objectContaining({ fullName: 'Jan de Kraanmachinist', documentNumber: 'NX4471902' }),
        history: [expect.objectContaining({ kind: 'RECORDED', status: 'CLEARED' })],
      }),
    ]);
    await section.getByRole('status').getByText('1 record answered: the file is downloaded.').waitFor();
    await axe(analyst.page);
  });

  it("lets a person download their own data, and nobody else's", async () => {
    const analyst = await browsers.open(people.analyst.email);
    await browsers.signIn(analyst);
    await analyst.page.getByRole('link', { name: 'Security' }).click();
    const [download] = await Promise.all([
      analyst.page.waitForEvent('download'),
      analyst.page.getByRole('button', { name: 'Download my data' }).click(),
    ]);
    const data = JSON.parse(readFileSync(await download.path(), 'utf8'));
    expect(data.account).toMatchObject({ id: people.analyst.id, email: people.analyst.email });
    expect(data.memberships).toEqual([
      expect.objectContaining({ organisation: 'Zeehavenpolitie Rotterdam', role: 'ANALYST' }),
    ]);
    const text = JSON.stringify(data);
    for (const other of [people.dpo, people.admin]) expect(text).not.toContain(other.email);
    expect(text).not.toContain('Extraction team at Maasvlakte II');
    await axe(analyst.page);
  });
});
