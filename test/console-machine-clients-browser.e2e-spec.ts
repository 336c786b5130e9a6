/**
 * The machine clients desk in a real browser: an organisation admin creates a client for the
 * national police's MISP, copies its key from the one dialog that shows it, and the key pulls over
 * TAXII; a new key stops the old one, revoking stops the client, each effect stated before it is done.
 */
import { MemberRole, OrganisationType } from '../src/common/organisation-type';
import { axe, Browsers, inEveryLanguage, Person } from './helpers/browser';
import { makeOrganisation, makeUser } from './helpers/factory';
import { startTestApp, TestApp } from './helpers/test-app';

describe('the machine clients desk', () => {
  let t: TestApp;
  let browsers: Browsers;
  let admin: Person;

  const pulls = async (key: string) =>
    (
      await fetch(`${t.baseUrl}/taxii2/api/collections/`, {
        headers: { authorization: `Bearer ${key}`, accept: 'application/taxii+json;version=2.1' },
      })
    ).status;

  beforeAll(async () => {
    t = await startTestApp();
    const police = await makeOrganisation(t, OrganisationType.POLICE, ['NLRTM'], 'Zeehavenpolitie');
    const user = await makeUser(t, police, MemberRole.ORG_ADMIN);
    browsers = await Browsers.launch(t.baseUrl);
    admin = await browsers.open(user.email);
    await browsers.signIn(admin);
  });

  afterAll(async () => {
    await browsers?.close();
    await t?.close();
  });

  it('creates a client, shows its key once, rotates and revokes it', async () => {
    const page = admin.page;
    await page.getByRole('navigation', { name: 'Desks' }).getByRole('link', { name: 'Machine clients' }).click();
    const form = page.getByRole('region', { name: 'New machine client' });
    await form.getByRole('textbox', { name: 'Name' }).fill('MISP of the national police');
    await form.getByRole('combobox', { name: 'Reads up to' }).click();
    await page.getByRole('option', { name: 'TLP:AMBER', exact: true }).click();
    await form.getByRole('checkbox', { name: 'Posts drafts' }).check();
    await form.getByRole('button', { name: 'Create and show the key' }).click();
    const key = (await page.getByTestId('secret-once').innerText()).trim();
    expect(key).toMatch(/^hwk_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/);
    await axe(page, '[role="dialog"]');
    await page.getByRole('button', { name: 'I have stored it' }).click();
    const row = page.getByTestId('machine-clients').getByRole('row').filter({ hasText: 'MISP of the national police' });
    await row.getByText('Active').waitFor();
    await row.getByText('writes drafts').waitFor();
    expect(await row.innerText()).toContain(key.slice(-4));
    expect(await page.locator('body').innerText()).not.toContain(key);
    expect(await pulls(key)).toBe(200);
    await axe(page);

    await row.getByRole('button', { name: 'New key' }).click();
    await page
      .getByRole('dialog')
      .getByText(/stops working at once/)
      .waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'New key' }).click();
    const rotated = (await page.getByTestId('secret-once').innerText()).trim();
    await page.getByRole('button', { name: 'I have stored it' }).click();
    expect(rotated).not.toBe(key);
    expect(await pulls(key)).toBe(401);
    expect(await pulls(rotated)).toBe(200);

    await row.getByRole('button', { name: 'Revoke' }).click();
    await page
      .getByRole('dialog')
      .getByText(/cannot be undone/)
      .waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
    await row.getByText('Revoked').waitFor();
    expect(await pulls(rotated)).toBe(401);
    await inEveryLanguage(page, t.baseUrl, ['/machine-clients']);
  });
});
