/**
 * The reporter's pages in a real browser (Debian's Chromium, driven by playwright-core) with
 * JavaScript disabled: report with an attachment, keep the receipt, read the handler's reply, answer.
 */
import { Browser, chromium, Page } from 'playwright-core';
import { MemberRole, OrganisationType } from '../src/common/organisation-type';
import { makeOrganisation, member, TestUser } from './helpers/factory';
import { startTestApp, TestApp } from './helpers/test-app';
import { CASE, CASES, OPT_IN } from './helpers/whistleblowing';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('reporter pages without JavaScript', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let handler: TestUser;
  let organisationName: string;
  let receipt: string;
  let caseId: string;

  beforeAll(async () => {
    t = await startTestApp({ REPORT_FORM_MIN_SECONDS: '1' });
    organisationName = `Zeehavenpolitie ${Date.now()}`;
    const police = await makeOrganisation(t, OrganisationType.POLICE, ['NLRTM'], organisationName);
    handler = await member(t, police, MemberRole.ORG_ADMIN);
    await t.gql(OPT_IN, { accept: true }, handler.token);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await (await browser.newContext({ javaScriptEnabled: false, locale: 'en-GB' })).newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await t.close();
  });

  it('serves the form with a strict policy, no cookies and nothing cached', async () => {
    const res = await page.goto(`${t.baseUrl}/report`);
    const headers = res!.headers();
    expect(headers['content-security-policy']).toContain("default-src 'self'");
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['cache-control']).toBe('no-store');
    expect(headers['set-cookie']).toBeUndefined();
    expect(await page.locator('script').count()).toBe(0);
    // The language links name the languages they lead to, each in itself: the console's five.
    expect(await page.locator('p.lang a').allTextContents()).toEqual(['Nederlands', 'Deutsch', 'Français', 'Español']);
    await page.click('p.lang a[hreflang=nl]');
    expect(page.url()).toMatch(/lang=nl$/);
    expect(await page.locator('h1').textContent()).toBe('Meld anoniem corruptie of criminaliteit in de haven');
    expect(await page.locator('html').getAttribute('lang')).toBe('nl');
    expect(await page.locator('p.lang a').allTextContents()).toEqual(['English', 'Deutsch', 'Français', 'Español']);
    // Without ?lang=, the browser's preference chooses (issue 27, bug 8).
    for (const [accept, lang, title] of [
      ['de-AT,de;q=0.9,en;q=0.5', 'de', 'Korruption oder Kriminalität im Hafen anonym melden'],
      ['fr-BE,fr;q=0.9', 'fr', 'Signaler anonymement la corruption ou un crime dans le port'],
      ['es;q=0.8,pt;q=0.9', 'es', 'Denuncie de forma anónima la corrupción o el delito en el puerto'],
      ['pt-PT', 'en', 'Report corruption or crime in the port, anonymously'],
    ]) {
      const html = await (await fetch(`${t.baseUrl}/report`, { headers: { 'accept-language': accept } })).text();
      expect(html).toContain(`<html lang="${lang}">`);
      expect(html).toContain(`<h1>${title}</h1>`);
    }
  });

  it('submits a report with an attachment and shows the receipt once', async () => {
    await page.goto(`${t.baseUrl}/report`);
    await page.selectOption('#recipient', { label: organisationName });
    await page.selectOption('#category', 'CONTAINER_MANIPULATION');
    await page.fill('#text', 'A crane driver changes container positions at night for money.');
    await page.setInputFiles('#attachments', {
      name: 'roster.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('night shift roster'),
    });
    await page.waitForTimeout(1100); // the form's minimum time before sending
    await Promise.all([page.waitForLoadState(), page.click('button[type=submit]')]);
    receipt = (await page.locator('#receipt').textContent())!.trim();
    expect(receipt).toMatch(/^(\d{4} ){6}\d{4}$/);
    expect(await page.locator('.warning').textContent()).toMatch(/only way/);
  });

  it('delivers it to the handler, attachment included, who replies', async () => {
    caseId = (await t.gql(CASES, {}, handler.token)).data.whistleblowerCases.edges[0].node.id;
    const c = (await t.gql(CASE, { id: caseId }, handler.token)).data.whistleblowerCase;
    expect(c).toMatchObject({
      category: 'CONTAINER_MANIPULATION',
      text: 'A crane driver changes container positions at night for money.',
    });
    expect(c.attachments).toEqual([{ id: expect.any(String), filename: 'roster.txt', size: 18 }]);
    const file = await fetch(`${t.baseUrl}/cases/${caseId}/attachments/${c.attachments[0].id}`, {
      headers: { authorization: `Bearer ${handler.token}` },
    });
    expect(await file.text()).toBe('night shift roster');
    await t.gql(
      `mutation($c: ID!) { replyToReporter(caseId: $c, body: "Which crane, and since when?") { id } }`,
      { c: caseId },
      handler.token,
    );
  });

  it('shows the reply on the follow-up page and takes the answer', async () => {
    // Each form carries a single-use challenge that must be at least REPORT_FORM_MIN_SECONDS old.
    const send = async () => {
      await page.waitForTimeout(1100);
      await Promise.all([page.waitForLoadState(), page.click('button[type=submit]')]);
    };
    await page.goto(`${t.baseUrl}/report/follow-up`);
    await page.fill('#receipt', '0000 0000 0000 0000 0000 0000 0000');
    await send();
    expect(await page.locator('.error').textContent()).toMatch(/No report matches this receipt/);

    await page.fill('#receipt', receipt);
    await send();
    expect(await page.locator('#messages').textContent()).toContain('Which crane, and since when?');
    // The answer acknowledged the report, and the dates read as the browser's English does (en-GB).
    expect(await page.locator('#status').textContent()).toBe('Being reviewed');
    const today = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date());
    expect(await page.locator('main').textContent()).toContain(`Received on ${today}`);
    await page.fill('#body', 'Crane 7, since March.');
    await send();
    expect(await page.locator('.ok').textContent()).toMatch(/sent/);
    expect(await page.locator('#messages').textContent()).toContain('Crane 7, since March.');

    const messages = (await t.gql(CASE, { id: caseId }, handler.token)).data.whistleblowerCase.messages;
    expect(messages.map((m: { from: string; body: string }) => `${m.from}: ${m.body}`)).toEqual([
      'HANDLER: Which crane, and since when?',
      'NOTE: Status NEW -> IN_REVIEW: answered the reporter',
      'REPORTER: Crane 7, since March.',
    ]);
  });
});
