/**
 * The web console in a real browser (Debian's Chromium, driven by playwright-core) against the real
 * server and Postgres: an analyst of a terminal operator signs in with TOTP and posts an AMBER alert
 * for the police; a police analyst in a second browser sees it arrive live, reads and acknowledges it
 * and sees the author's revision; customs never see it. Every page is checked with axe-core (WCAG 2.1
 * AA), in every language, under the console's Content-Security-Policy (a violation fails the test).
 */
import { readFileSync } from 'node:fs';
import { generate } from 'otplib';
import { MemberRole, OrganisationType } from '../src/common/organisation-type';
import {
  axe,
  Browsers,
  enterEmail,
  horizontalOverflow,
  inEveryLanguage,
  Person,
  PHONE,
  SCREENSHOTS,
  tabTo,
} from './helpers/browser';
import { publishBulletin } from './helpers/bulletins';
import { login, makeOrganisation, makeUser, PASSWORD } from './helpers/factory';
import { startTestApp, TestApp } from './helpers/test-app';

describe('the web console', () => {
  let t: TestApp;
  let browsers: Browsers;
  let terminal: string;
  let police: string;
  let author: Person & { secret: string };
  let reader: Person;
  let customs: Person;
  let bulletinId: string;
  const title = 'Extraction team seen at the Amazonehaven terminal';

  const open = (email: string) => browsers.open(email);
  const signIn = (p: Person, totp?: () => Promise<string>) => browsers.signIn(p, totp);

  beforeAll(async () => {
    t = await startTestApp();
    terminal = await makeOrganisation(
      t,
      OrganisationType.TERMINAL_OPERATOR,
      ['NLRTM'],
      'Maasvlakte Container Terminal',
    );
    police = await makeOrganisation(t, OrganisationType.POLICE, ['NLRTM'], 'Zeehavenpolitie Rotterdam');
    const customsOrg = await makeOrganisation(t, OrganisationType.CUSTOMS, ['NLRTM'], 'Douane Rotterdam');
    browsers = await Browsers.launch(t.baseUrl);

    // The author enrols TOTP through the API; sign-in then needs the code.
    const analyst = await makeUser(t, terminal, MemberRole.ANALYST);
    const { token } = await login(t, analyst.email);
    const { secret } = (await t.gql(`mutation { enrolTotp { secret } }`, {}, token)).data.enrolTotp;
    await t.gql(`mutation($c: String!) { confirmTotp(code: $c) }`, { c: await generate({ secret }) }, token);
    await t.dataSource.query(`UPDATE users SET totp_last_step = totp_last_step - 2 WHERE id = $1`, [analyst.id]);
    // Earlier traffic in the feed.
    for (let i = 1; i <= 52; i++) {
      await publishBulletin(t, token, {
        tlp: i % 4 ? 'GREEN' : 'CLEAR',
        title: `Seal tampering reported on the night shift (${i})`,
      });
    }
    author = { ...(await open(analyst.email)), secret };
    reader = await open((await makeUser(t, police, MemberRole.ANALYST)).email);
    customs = await open((await makeUser(t, customsOrg, MemberRole.MEMBER)).email);
  });

  afterAll(async () => {
    await browsers?.close();
    await t?.close();
  });

  it('serves the console under a strict policy, its assets cached for a year', async () => {
    const res = await fetch(`${t.baseUrl}/login`);
    const policy = res.headers.get('content-security-policy')!;
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toContain('unsafe-inline');
    expect(res.headers.get('cache-control')).toBe('no-store');
    const html = await res.text();
    const nonce = /nonce-([^']+)'/.exec(policy)![1];
    expect(html).toContain(`content="${nonce}"`);
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1];
    const js = await fetch(`${t.baseUrl}${asset}`, { headers: { 'accept-encoding': 'br, gzip' } });
    expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(js.headers.get('content-encoding')).toBe('br');
    expect((await fetch(`${t.baseUrl}/assets/..%2Findex.html`)).status).toBe(404);
    expect((await fetch(`${t.baseUrl}/no-such-page`)).status).toBe(404);
  });

  it('signs the author in with password and TOTP, keeping no token in the page storage', async () => {
    await signIn(author, () => generate({ secret: author.secret }));
    const stored = await author.page.evaluate<string>('JSON.stringify({ ...localStorage, ...sessionStorage })');
    expect(stored).not.toMatch(/eyJ|token/i);
    const cookie = (await author.context.cookies()).find((c) => c.name === 'hw_refresh')!;
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/graphql' });
    // A reload keeps the session through the cookie alone.
    await author.page.reload();
    await author.page.getByRole('heading', { name: 'Bulletins' }).waitFor();
    await axe(author.page);
    await signIn(reader);
  });

  it('signs in with the keyboard alone', async () => {
    const page = customs.page;
    await page.goto(`${t.baseUrl}/login`);
    await tabTo(page, page.getByLabel('E-mail'), 6);
    await page.keyboard.type(customs.email);
    await page.keyboard.press('Enter');
    // The password field follows the e-mail, focused.
    await page.getByRole('textbox', { name: 'Password' }).waitFor();
    await page.keyboard.type(PASSWORD);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Bulletins' }).waitFor();
  });

  it('says why a sign-in is refused: wrong password, locked until a time, organisation suspended', async () => {
    const suspendedOrg = await makeOrganisation(t, OrganisationType.SHIPPING_COMPANY, ['NLRTM'], 'Suspended Lines');
    const user = await makeUser(t, suspendedOrg, MemberRole.MEMBER);
    const p = await open(user.email);
    const attempt = async (password: string) => {
      if (!(await p.page.getByRole('textbox', { name: 'Password' }).count())) await enterEmail(p.page, user.email);
      await p.page.getByRole('textbox', { name: 'Password' }).fill(password);
      await Promise.all([
        p.page.waitForResponse('**/graphql'),
        p.page.getByRole('button', { name: 'Sign in' }).click(),
      ]);
    };
    const says = (text: string | RegExp) => p.page.getByRole('alert').filter({ hasText: text }).waitFor();
    await p.page.goto(`${t.baseUrl}/login`);
    await t.dataSource.query(`UPDATE organisations SET status = 'SUSPENDED' WHERE id = $1`, [suspendedOrg]);
    await attempt(PASSWORD);
    await says(/^Your organisation is suspended: Suspended Lines is suspended/);
    await attempt('not the password');
    await says('Wrong e-mail, password or code.');
    const locked = p.page.getByRole('alert').filter({ hasText: 'blocked' });
    for (let i = 0; i < 6 && !(await locked.count()); i++) await attempt('still not the password');
    expect(await locked.textContent()).toMatch(
      /^Too many failed sign-ins from this network: signing in is blocked here until \d{2}:\d{2}\.$/,
    );
    await p.context.close();
  });

  it('lets a member of two organisations choose the one to act for', async () => {
    const both = await makeUser(t, terminal, MemberRole.MEMBER);
    await t.dataSource.query(`INSERT INTO memberships (organisation_id, user_id, role) VALUES ($1, $2, 'MEMBER')`, [
      police,
      both.id,
    ]);
    const p = await open(both.email);
    await p.page.goto(`${t.baseUrl}/login`);
    await enterEmail(p.page, both.email);
    await p.page.getByRole('textbox', { name: 'Password' }).fill(PASSWORD);
    await p.page.getByRole('button', { name: 'Sign in' }).click();
    await p.page.getByRole('combobox', { name: 'Organisation' }).click();
    await p.page.getByRole('option', { name: 'Zeehavenpolitie Rotterdam' }).click();
    await p.page.getByRole('button', { name: 'Sign in' }).click();
    await p.page.getByRole('heading', { name: 'Bulletins' }).waitFor();
    await p.page.getByRole('banner').getByText('Zeehavenpolitie Rotterdam').waitFor();
    await p.context.close();
  });

  it('composes with live indicator validation and an audience preview, then publishes', async () => {
    const page = author.page;
    await page.getByRole('link', { name: 'New bulletin' }).click();
    await page.getByLabel('Title').fill(title);
    await page.getByLabel('Summary').fill('Four men in high-visibility vests opened a reefer container at night.');
    await page.getByLabel('Details').fill('Seen on camera at 02:40, stack 14. The seal was replaced.');
    const value = page.getByLabel('Value of indicator 1');
    await value.fill('CSQU 305438 4');
    await page.getByText('Check digit wrong: the last digit is 4, ISO 6346 gives 3 for CSQU305438').waitFor();
    await value.fill('CSQU 305438 3');
    await page.getByText('Check digit wrong').waitFor({ state: 'detached' });
    await page.getByRole('combobox', { name: 'Named recipient organisations' }).click();
    await page.getByRole('option', { name: 'Zeehavenpolitie Rotterdam' }).click();
    await page.keyboard.press('Escape');
    await page.getByText(/Draft saved at/).waitFor();
    const preview = page.getByTestId('audience-preview');
    await preview.getByText('Zeehavenpolitie Rotterdam').waitFor();
    expect(await preview.textContent()).not.toContain('Douane Rotterdam');
    bulletinId = /\/compose\/([0-9a-f-]+)$/.exec(page.url())![1];
    await axe(page);
    await page.screenshot({ path: `${SCREENSHOTS}/compose.png`, fullPage: true });
    await page.getByRole('button', { name: 'Publish to these recipients' }).click();
    await page.waitForURL(`**/bulletins/${bulletinId}`);
    await page.getByRole('heading', { name: title }).waitFor();
  });

  it('reaches the police analyst live, who reads and acknowledges it', async () => {
    const page = reader.page;
    await page.getByRole('button', { name: '1 new bulletin: show' }).click();
    await page.getByRole('link', { name: title }).waitFor();
    await axe(page);
    await page.screenshot({ path: `${SCREENSHOTS}/feed.png` });
    await page.getByRole('link', { name: title }).click();
    await page.getByRole('heading', { name: title }).waitFor();
    await page.getByLabel('Note (optional)').fill('Gate staff briefed; badge of the stack 14 driver suspended.');
    await page.getByRole('button', { name: 'Acknowledge for my organisation' }).click();
    await page.getByText(/Zeehavenpolitie Rotterdam acknowledged on/).waitFor();
    await axe(page);
    // Back in the feed: read (no longer new) and acknowledged; the others still new.
    await page.getByRole('link', { name: 'Back to the feed' }).click();
    const row = page.locator('tbody tr', { hasText: title });
    await row.getByText('Acknowledged', { exact: true }).waitFor();
    expect(await row.getByText('New', { exact: true }).count()).toBe(0);
    expect(
      await page.locator('tbody tr', { hasText: 'night shift (52)' }).getByText('New', { exact: true }).count(),
    ).toBe(1);
  });

  it('never shows it to customs, by any path', async () => {
    const page = customs.page;
    await page.reload();
    await page.getByRole('heading', { name: 'Bulletins' }).waitFor();
    await page
      .getByText(/Seal tampering reported/)
      .first()
      .waitFor();
    expect(await page.getByText(title).count()).toBe(0);
    await page.goto(`${t.baseUrl}/bulletins/${bulletinId}`);
    await page.getByText('Not found, or not shared with you.').waitFor();
    await page.goto(`${t.baseUrl}/search?value=csqu-305438-3`);
    await page.getByText(/bulletins? you may see/).waitFor();
    expect(await page.getByText(title).count()).toBe(0);
  });

  it('shows the author who can see it, and the reader the difference after a revision', async () => {
    const page = author.page;
    await page.reload();
    await page.getByTestId('who-can-see').getByText('Zeehavenpolitie Rotterdam').waitFor();
    await page.getByRole('link', { name: 'Revise' }).click();
    await page.getByLabel('Summary').fill('Four men in high-visibility vests opened two reefer containers at night.');
    await page.getByLabel('What changed').fill('A second container was opened.');
    // The second container, of the type the first has (a container number).
    await page.getByRole('button', { name: 'Add indicator' }).click();
    await page.getByLabel('Value of indicator 2').fill('MSKU 907032 3');
    await page.getByRole('button', { name: 'Publish revision' }).click();
    await page.waitForURL(`**/bulletins/${bulletinId}`);
    // The first publication a day earlier, so that its time and the revision's differ on the page.
    await t.dataSource.query(
      `UPDATE bulletin_versions SET published_at = published_at - interval '1 day' WHERE bulletin_id = $1 AND version = 1`,
      [bulletinId],
    );
    await t.dataSource.query(`UPDATE bulletins SET published_at = published_at - interval '1 day' WHERE id = $1`, [
      bulletinId,
    ]);

    await reader.page.goto(`${t.baseUrl}/bulletins/${bulletinId}`);
    const diff = reader.page.getByTestId('version-diff');
    await diff.locator('ins', { hasText: 'two' }).waitFor();
    await diff.locator('ins', { hasText: 'containers' }).waitFor();
    // The indicator's type in words, never the enum's name (issue 27, bug 3).
    await diff.locator('ins', { hasText: /^\+ Container number: MSKU ?9070323$/ }).waitFor();
    expect(await diff.textContent()).not.toContain('CONTAINER_NUMBER');
    // A revised bulletin opens on what changed (bug 9), and its header gives this version's time (bug 5).
    const top = async (name: string) =>
      (await reader.page.getByRole('heading', { name, exact: true }).boundingBox())!.y;
    expect(await top('Versions')).toBeLessThan(await top('Indicators'));
    const versionTwo = reader.page
      .getByRole('row')
      .filter({ has: reader.page.getByRole('cell', { name: '2', exact: true }) });
    const revisedAt = (await versionTwo.getByRole('cell').nth(1).textContent())!;
    await reader.page.getByText(`version 2 · ${revisedAt}`).waitFor();
    await axe(reader.page);
    await reader.page.screenshot({ path: `${SCREENSHOTS}/bulletin.png`, fullPage: true });
  });

  it('accepts an invitation from its e-mail link, with TOTP enrolment', async () => {
    const admin = await makeUser(t, police, MemberRole.ORG_ADMIN);
    const { token } = await login(t, admin.email);
    const email = `new.analyst.${Date.now()}@politie.example`;
    await t.gql(`mutation($e: String!) { inviteMember(email: $e, role: ANALYST) { id } }`, { e: email }, token);
    const link = /(\/invitations\/accept\?token=[^\s"]+)/.exec((await t.smtp.waitFor(email)).text)![1];
    const p = await open(email);
    await p.page.goto(`${t.baseUrl}${link}`);
    await axe(p.page);
    await p.page.getByLabel('Your name as colleagues see it').fill('Inspecteur De Vries');
    await p.page.getByRole('textbox', { name: 'Password', exact: true }).fill('a long harbour passphrase');
    await p.page.getByLabel('Password again').fill('a long harbour passphrase');
    await p.page.getByRole('button', { name: 'Accept invitation' }).click();
    const secret = (await p.page.getByTestId('totp-secret').textContent())!;
    await p.page.getByLabel('Authenticator code').fill(await generate({ secret }));
    await p.page.getByRole('button', { name: 'Confirm and open the desk' }).click();
    await p.page.getByRole('heading', { name: 'Bulletins' }).waitFor();
    await p.context.close();
  });

  it('onboards an organisation: the platform administrator creates it and invites its first admin, who invites an analyst', async () => {
    const operator = await makeUser(t, null, MemberRole.MEMBER, { platformAdmin: true });
    const { token } = await login(t, operator.email);
    const { secret } = (await t.gql(`mutation { enrolTotp { secret } }`, {}, token)).data.enrolTotp;
    await t.gql(`mutation($c: String!) { confirmTotp(code: $c) }`, { c: await generate({ secret }) }, token);
    await t.dataSource.query(`UPDATE users SET totp_last_step = totp_last_step - 2 WHERE id = $1`, [operator.id]);
    const platform = await open(operator.email);
    await signIn(platform, () => generate({ secret }));
    await platform.page.getByRole('link', { name: 'Organisations' }).click();
    const create = platform.page.getByRole('form', { name: 'New organisation' });
    await create.getByLabel('Name').fill('Noordzee Bulk Terminal');
    await create.getByLabel('Ports (UN/LOCODE)').fill('nlrtm');
    await create.getByLabel('Ports (UN/LOCODE)').press('Enter');
    await create.getByRole('button', { name: 'Create' }).click();
    // Confirmed where it was asked, with its first administrator's invitation right there.
    const created = platform.page.getByRole('status').filter({ hasText: 'Noordzee Bulk Terminal is on the platform' });
    const adminEmail = `first.admin.${Date.now()}@noordzee.example`;
    await created.getByLabel('E-mail').fill(adminEmail);
    await created.getByRole('button', { name: 'Invite its first administrator' }).click();
    await created.getByRole('status').filter({ hasText: adminEmail }).waitFor();
    await created.getByText('Pending').waitFor();
    await axe(platform.page);

    const link = /(\/invitations\/accept\?token=[^\s"]+)/.exec((await t.smtp.waitFor(adminEmail)).text)![1];
    const admin = await open(adminEmail);
    await admin.page.goto(`${t.baseUrl}${link}`);
    await admin.page.getByLabel('Your name as colleagues see it').fill('Havenmeester Bakker');
    await admin.page.getByRole('textbox', { name: 'Password', exact: true }).fill('a long harbour passphrase');
    await admin.page.getByLabel('Password again').fill('a long harbour passphrase');
    await admin.page.getByRole('button', { name: 'Accept invitation' }).click();
    const adminSecret = (await admin.page.getByTestId('totp-secret').textContent())!;
    await admin.page.getByLabel('Authenticator code').fill(await generate({ secret: adminSecret }));
    await admin.page.getByRole('button', { name: 'Confirm and open the desk' }).click();
    await admin.page.getByRole('heading', { name: 'Bulletins' }).waitFor();

    await admin.page.getByRole('link', { name: 'Members' }).click();
    await admin.page.getByRole('heading', { name: 'Members of Noordzee Bulk Terminal' }).waitFor();
    await admin.page.getByRole('table', { name: 'Members' }).getByText('Havenmeester Bakker').waitFor();
    const analystEmail = `analyst.${Date.now()}@noordzee.example`;
    const invite = admin.page.getByRole('form', { name: 'Invite someone' });
    await invite.getByLabel('E-mail').fill(analystEmail);
    await invite.getByRole('button', { name: 'Send invitation' }).click();
    await admin.page.getByRole('status').filter({ hasText: analystEmail }).waitFor();
    expect((await t.smtp.waitFor(analystEmail)).subject).toContain('Noordzee Bulk Terminal');
    await axe(admin.page);
    await admin.page.screenshot({ path: `${SCREENSHOTS}/members.png`, fullPage: true });
    // Revoking states its effect first, then the link is dead.
    await admin.page.getByRole('button', { name: `Revoke ${analystEmail}` }).click();
    await admin.page.getByRole('dialog').getByText(`The link sent to ${analystEmail} stops working at once.`).waitFor();
    await axe(admin.page, '[role="dialog"]');
    await admin.page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
    await admin.page.getByText('Revoked').waitFor();

    // An alert e-mail to the admin that failed after every retry is sent again from the same page.
    const [green] = await t.dataSource.query(`SELECT id FROM bulletins WHERE tlp = 'GREEN' LIMIT 1`);
    const [{ id: adminUserId, organisation_id: noordzee }] = await t.dataSource.query(
      `SELECT u.id, m.organisation_id FROM users u JOIN memberships m ON m.user_id = u.id WHERE u.email = $1`,
      [adminEmail],
    );
    await t.dataSource.query(
      `INSERT INTO notification_deliveries (bulletin_id, version, kind, user_id, organisation_id, subscription_id, channel, status, attempts, last_error)
       VALUES ($1, 1, 'PUBLISHED', $2, $3, gen_random_uuid(), 'EMAIL', 'FAILED', 8, '550 mailbox unavailable')`,
      [green.id, adminUserId, noordzee],
    );
    await admin.page.reload();
    const failures = admin.page.getByRole('table', { name: 'E-mails that could not be delivered' });
    await failures.getByText('550 mailbox unavailable').waitFor();
    await axe(admin.page);
    await failures.getByRole('button', { name: 'Send again Havenmeester Bakker' }).click();
    await admin.page
      .getByRole('dialog')
      .getByText(/is sent the e-mail again/)
      .waitFor();
    await admin.page.getByRole('dialog').getByRole('button', { name: 'Send again' }).click();
    await admin.page.getByText('None: every alert e-mail arrived.').waitFor();
    await t.smtp.waitFor(adminEmail, 10_000, 2); // the invitation, then the alert sent again
    // Which alerts a member gets, to tell why someone missed one.
    await admin.page.getByRole('button', { name: 'Alerts of Havenmeester Bakker' }).click();
    await admin.page
      .getByRole('dialog')
      .getByText('No alert subscriptions: this member gets no alert e-mails.')
      .waitFor();
    await axe(admin.page, '[role="dialog"]');
    await admin.page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();

    // The organisation's profile: another port (searched among the alliance's) and its contact point.
    await admin.page.getByRole('link', { name: 'Organisation profile' }).click();
    const profile = admin.page.getByRole('form', { name: 'Organisation profile' });
    const ports = profile.getByLabel('Ports (UN/LOCODE)');
    await ports.fill('rotterdam');
    await ports.press('Enter');
    await profile.getByText('Not a UN/LOCODE: ROTTERDAM').waitFor();
    expect(await profile.getByRole('button', { name: 'Save profile' }).isDisabled()).toBe(true);
    await ports.press('Backspace'); // the last tag goes
    await profile.getByText('Not a UN/LOCODE: ROTTERDAM').waitFor({ state: 'detached' });
    await ports.fill('nlvli');
    await profile.getByLabel('Ports (UN/LOCODE)').press('Enter');
    await profile.getByLabel('Contact point').fill('Duty officer, terminal security');
    await profile.getByLabel('Contact e-mail').fill('security@noordzee.example');
    await profile.getByLabel('Contact phone').fill('+31 10 555 0100');
    await profile.getByRole('button', { name: 'Save profile' }).click();
    await profile.getByRole('status').getByText('Saved.').waitFor();
    await axe(admin.page);

    // A sharing rule, with the server's preview of whom it admits before it is saved.
    await admin.page.getByRole('link', { name: 'Sharing rules' }).click();
    const form = admin.page.getByRole('form', { name: 'New sharing rule' });
    await form.getByText('Choose organisations, types or ports to see whom it admits.').waitFor();
    await form.getByRole('combobox', { name: 'Organisations' }).click();
    await admin.page.getByRole('option', { name: 'Zeehavenpolitie Rotterdam' }).click();
    await admin.page.keyboard.press('Escape');
    const preview = form.getByTestId('rule-preview');
    await preview.getByText('Admits 1 organisation').waitFor();
    await preview.getByText('Opens 0 current AMBER bulletins to them').waitFor();
    expect(await preview.innerText()).toContain('Zeehavenpolitie Rotterdam');
    await axe(admin.page);
    await admin.page.screenshot({ path: `${SCREENSHOTS}/sharing-rule-preview.png`, fullPage: true });
    await form.getByRole('button', { name: 'Save rule' }).click();
    await admin.page.getByRole('region', { name: 'Sharing rule' }).getByText('Zeehavenpolitie Rotterdam').waitFor();
    // Edited in the same form, then ended at once after its effect is stated.
    const saved = admin.page.getByRole('region', { name: 'Sharing rule' });
    await saved.getByRole('button', { name: 'Edit' }).click();
    const edit = admin.page.getByRole('form', { name: 'Edit sharing rule' });
    // The pills wrapper takes the click for the field (as it does for a person).
    await edit.getByRole('combobox', { name: 'Organisation types' }).click({ force: true });
    await admin.page.getByRole('option', { name: 'Customs' }).click();
    await admin.page.keyboard.press('Escape');
    await edit.getByRole('button', { name: 'Save rule' }).click();
    await saved.getByText('Customs').waitFor();
    await saved.getByRole('button', { name: 'Expire now' }).click();
    await admin.page
      .getByRole('dialog')
      .getByText(/stop reading what it opened to them at once/)
      .waitFor();
    await admin.page.getByRole('dialog').getByRole('button', { name: 'Expire now' }).click();
    await saved.getByText('Expired', { exact: true }).waitFor();

    // The organisation's trail, filtered by who acted, and exported.
    await admin.page.getByRole('link', { name: 'Audit trail' }).click();
    const filters = admin.page.getByRole('form', { name: 'Filter the trail' });
    await filters.getByRole('combobox', { name: 'Who' }).click();
    await admin.page.getByRole('option', { name: 'Havenmeester Bakker' }).click();
    await filters.getByRole('button', { name: 'Filter' }).click();
    const trail = admin.page.getByRole('table', { name: 'Audit trail' });
    for (const action of ['createSharingRule', 'revokeInvitation', 'inviteMember'])
      await trail.getByRole('cell', { name: action, exact: true }).first().waitFor();
    await axe(admin.page);
    const [download] = await Promise.all([
      admin.page.waitForEvent('download'),
      filters.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv.split('\r\n')[0]).toBe(
      '"seq","at","actor","actor organisation","action","object type","object id","subject organisation"',
    );
    expect(csv).toContain('"Havenmeester Bakker","Noordzee Bulk Terminal","createSharingRule"');

    // The platform desk: health, the audit chain verified from the console, administrators and their TOTP.
    await platform.page.getByRole('link', { name: 'Platform' }).click();
    const health = platform.page.getByRole('region', { name: 'Health of the system' });
    await health.getByText(/server process(es)? running/).waitFor();
    await health.getByText(/^Database: PostgreSQL \d+/).waitFor();
    await platform.page.getByText('Not verified from the console yet.').waitFor();
    await platform.page.getByRole('button', { name: 'Verify now' }).click();
    await platform.page.getByTestId('chain-status').getByText('Intact').waitFor();
    const admins = platform.page.getByRole('table', { name: 'Platform administrators' });
    expect(await admins.getByRole('row', { name: new RegExp(operator.email) }).innerText()).toMatch(/TOTP on/i);
    // The keys at rest: no rotation under way, the administrator's own TOTP seed under the current key.
    const keys = platform.page.getByRole('region', { name: 'Keys at rest' });
    expect(await keys.getByText('No previous key is configured.').count()).toBe(2);
    const seeds = keys.getByRole('table', { name: 'Values under ENCRYPTION_KEY' }).getByRole('row', {
      name: /^Second-factor \(TOTP\) seeds/,
    });
    expect((await seeds.innerText()).split(/\s+/).slice(-2)).toEqual(['0', expect.stringMatching(/^[1-9]/)]);
    // Federation: this instance's key fingerprint to read to a peer, and no peer yet.
    const federation = platform.page.getByRole('region', { name: 'Federation with other instances' });
    await federation.getByText('No peer yet.').waitFor();
    expect(await federation.getByTestId('instance-fingerprint').innerText()).toMatch(/key fingerprint [0-9a-f]{64}/);
    // The register of processing: platform defaults, then what is in force for one organisation.
    const register = platform.page.getByRole('table', { name: 'Register of processing' });
    expect(await register.getByRole('row', { name: /^sessions/ }).innerText()).toMatch(/In force: 30 days/);
    expect(await register.getByRole('row', { name: /^whistleblower_cases/ }).innerText()).not.toMatch(/In force/);
    await platform.page.getByRole('combobox', { name: 'Organisation' }).click();
    await platform.page.getByRole('option', { name: 'Noordzee Bulk Terminal' }).click();
    await register
      .getByRole('row', { name: /^whistleblower_cases/ })
      .getByText('In force: 365 days')
      .waitFor();
    await axe(platform.page);
    await inEveryLanguage(platform.page, t.baseUrl, ['/platform']);

    // Neither desk is offered to an analyst of another organisation, and the server refuses it anyway.
    await reader.page.goto(`${t.baseUrl}/`);
    await reader.page.getByRole('heading', { name: 'Bulletins' }).waitFor();
    const nav = reader.page.getByRole('navigation', { name: 'Desks' });
    expect(await nav.getByRole('link', { name: 'Members' }).count()).toBe(0);
    expect(await nav.getByRole('link', { name: 'Organisations' }).count()).toBe(0);
    expect(await nav.getByRole('link', { name: 'Sharing rules' }).count()).toBe(0);
    expect(await nav.getByRole('link', { name: 'Audit trail' }).count()).toBe(0);
    expect(await nav.getByRole('link', { name: 'Platform' }).count()).toBe(0);
    await reader.page.goto(`${t.baseUrl}/platform`);
    await reader.page.getByRole('alert').getByText('This desk is for platform administrators.').waitFor();
    await reader.page.goto(`${t.baseUrl}/organisations`);
    await reader.page.getByRole('alert').getByText('This desk is for platform administrators.').waitFor();
    await reader.page.goto(`${t.baseUrl}/members`);
    await reader.page.getByRole('table', { name: 'Members' }).waitFor();
    expect(await reader.page.getByRole('button', { name: /Remove|Change role|Send invitation/ }).count()).toBe(0);
    const refused = await t.gql(
      `mutation($e: String!) { inviteMember(email: $e, role: ANALYST) { id } }`,
      { e: 'not.allowed@politie.example' },
      (await login(t, reader.email)).token,
    );
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    await platform.context.close();
    await admin.context.close();
  });

  it('passes axe on the other desks, and every language has every string on every page', async () => {
    const page = reader.page;
    const paths = [
      '/',
      '/dashboard',
      `/bulletins/${bulletinId}`,
      '/compose',
      '/search?value=CSQU3054383',
      '/alerts',
      '/members',
      '/sharing-rules',
      '/sessions',
    ];
    await inEveryLanguage(page, t.baseUrl, paths, async (language) => {
      expect(await page.locator('html').getAttribute('lang')).toBe(language);
      if (language === 'en') await axe(page);
    });
  }, 240_000); // 8 pages in 5 languages, axe on each in English: long on a busy machine

  it('pages the feed as the reader scrolls', async () => {
    const page = reader.page;
    await page.goto(`${t.baseUrl}/`);
    const rows = page.locator('tbody tr');
    await rows.nth(49).waitFor();
    expect(await rows.count()).toBe(50);
    await rows.nth(49).scrollIntoViewIfNeeded();
    await rows.nth(52).waitFor();
    expect(await page.getByText('Seal tampering reported on the night shift (1)', { exact: true }).count()).toBe(1);
  });

  it("works on a gate officer's phone: feed, bulletin and search fit the screen", async () => {
    const phone = await browsers.open(reader.email, PHONE);
    await signIn(phone);
    for (const path of ['/', `/bulletins/${bulletinId}`, '/search?value=CSQU3054383']) {
      await phone.page.goto(`${t.baseUrl}${path}`);
      await phone.page.locator('main h1').first().waitFor();
      const overflow = await horizontalOverflow(phone.page);
      expect({ path, overflow }).toEqual({ path, overflow: 0 });
      await axe(phone.page);
    }
    await phone.page.getByRole('button', { name: 'Menu' }).click();
    await phone.page.getByRole('link', { name: 'My alerts' }).click();
    await phone.page.getByRole('heading', { name: 'My alerts' }).waitFor();
    await phone.context.close();
  });

  it('signs out everywhere from the session list', async () => {
    const page = reader.page;
    await page.goto(`${t.baseUrl}/sessions`);
    await page.getByText('This browser').waitFor();
    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await page.getByRole('heading', { name: 'Sign in to Harbourwatch' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in to Harbourwatch' }).waitFor();
  });

  it('met the Content-Security-Policy on every page', () => {
    expect(browsers.violations).toEqual([]);
  });
});
