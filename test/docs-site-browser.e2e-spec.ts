/**
 * The documentation site at /docs (issue 27): built from docs/ by VitePress, served under the console's
 * Content-Security-Policy, and opened from each desk's Help link on the page about that desk.
 */
import { MemberRole, OrganisationType } from '../src/common/organisation-type';
import { CONSOLE_HELP } from '../src/shared/console-routes';
import { consolePolicy } from '../src/console/console.controller';
import { axe, Browsers } from './helpers/browser';
import { makeOrganisation, makeUser } from './helpers/factory';
import { startTestApp, TestApp } from './helpers/test-app';

describe('the documentation site', () => {
  let t: TestApp;
  let browsers: Browsers;
  let analystEmail: string;
  let officerEmail: string;

  beforeAll(async () => {
    t = await startTestApp();
    const terminal = await makeOrganisation(t, OrganisationType.TERMINAL_OPERATOR, ['NLRTM'], 'Noordzee Terminal');
    const police = await makeOrganisation(t, OrganisationType.POLICE, ['NLRTM'], 'Zeehavenpolitie');
    analystEmail = (await makeUser(t, terminal, MemberRole.ANALYST)).email;
    officerEmail = (await makeUser(t, police, MemberRole.ANALYST)).email;
    browsers = await Browsers.launch(t.baseUrl);
  });

  afterAll(async () => {
    await browsers?.close();
    await t?.close();
  });

  it('serves the built pages under the console policy, and nothing outside them', async () => {
    const home = await fetch(`${t.baseUrl}/docs`, { redirect: 'manual' });
    expect([home.status, home.headers.get('location')]).toEqual([301, '/docs/']);
    const index = await fetch(`${t.baseUrl}/docs/`);
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toMatch(/^text\/html/);
    // The console's, without a nonce: the site has no <style> element to allow.
    expect(index.headers.get('content-security-policy')).toBe(consolePolicy());
    expect(index.headers.get('cache-control')).toBe('no-cache');
    const html = await index.text();
    expect(html).toContain('Guides per role');
    // Every script is a file of the site's own: nothing inline for the policy to refuse.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>|\sstyle="/);

    const script = /src="(\/docs\/assets\/[^"]+\.js)"/.exec(html)![1];
    const asset = await fetch(`${t.baseUrl}${script}`, { headers: { 'accept-encoding': 'br' } });
    expect([asset.status, asset.headers.get('content-encoding')]).toEqual([200, 'br']);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');

    // A page without its .html, as people type it.
    expect((await fetch(`${t.baseUrl}/docs/guides/analyst`)).status).toBe(200);
    for (const path of [
      '/docs/../package.json',
      '/docs/%2e%2e/package.json',
      '/docs/..%2F..%2Fpackage.json',
      '/docs/.build-stamp',
      '/docs/guides/nothing-here.html',
      '/docs/index.html.br',
    ]) {
      const res = await fetch(`${t.baseUrl}${path}`);
      expect([path, res.status]).toEqual([path, 404]);
      expect(await res.text()).not.toContain('"name": "harbourwatch"');
    }
  });

  it("has every desk's page and section the console's Help links open", async () => {
    for (const [route, target] of Object.entries(CONSOLE_HELP)) {
      const [page, anchor] = target.split('#');
      const res = await fetch(`${t.baseUrl}/docs/${page}`);
      expect([route, res.status]).toEqual([route, 200]);
      if (anchor) expect([route, (await res.text()).includes(`id="${anchor}"`)]).toEqual([route, true]);
    }
  });

  it("opens from a desk on that desk's section, readable, searchable and accessible", async () => {
    const analyst = await browsers.open(analystEmail);
    await browsers.signIn(analyst);
    const [guide] = await Promise.all([
      analyst.context.waitForEvent('page'),
      analyst.page.getByRole('link', { name: 'Help for this page (opens in a new tab)' }).click(),
    ]);
    await guide.getByRole('heading', { name: /Your day on the feed/ }).waitFor();
    expect(guide.url()).toBe(`${t.baseUrl}/docs/guides/analyst.html#your-day-on-the-feed`);
    const screenshot = guide.getByRole('img', { name: 'The feed at 1440x900' });
    await screenshot.scrollIntoViewIfNeeded();
    expect(await screenshot.evaluate((img: { naturalWidth: number }) => img.naturalWidth)).toBeGreaterThan(0);
    await axe(guide);

    // The site's own search (its index is a chunk of the site) and its links between pages.
    await guide.getByRole('button', { name: 'Search' }).click();
    await guide.getByRole('searchbox').fill('sighting');
    await guide.getByRole('option').first().waitFor();
    await guide.keyboard.press('Escape');
    await guide.getByRole('link', { name: 'Reporters (questions and answers)' }).click();
    await guide.getByRole('link', { name: 'Nederlands' }).click();
    await guide.getByRole('heading', { name: 'Anoniem melden: vragen en antwoorden' }).waitFor();
    await axe(guide);

    // Another desk, another page.
    const officer = await browsers.open(officerEmail);
    await browsers.signIn(officer);
    await officer.page.getByRole('link', { name: 'Vetting', exact: true }).click();
    // Help links to the page on screen: wait until the desk has replaced the feed.
    await officer.page.waitForURL(/\/vetting$/);
    await officer.page.getByRole('heading', { name: 'Vetting records' }).waitFor();
    const [vetting] = await Promise.all([
      officer.context.waitForEvent('page'),
      officer.page.getByRole('link', { name: 'Help for this page (opens in a new tab)' }).click(),
    ]);
    await vetting.getByRole('heading', { name: /Guide: vetting officers/ }).waitFor();
    expect(browsers.violations).toEqual([]);
  });
});
