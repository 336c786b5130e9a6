/**
 * The webhooks desk in a real browser: an organisation admin registers the port police's SIEM by
 * keyboard alone, copies the signing secret from the one dialog that shows it, and the SIEM receives a
 * bulletin signed with it; an endpoint that keeps failing shows as failing, its delivery FAILED with
 * the reason, and "Send again" sends it once more; deleting stops the webhook.
 */
import { Webhook as Verifier } from 'standardwebhooks';
import { MemberRole, OrganisationType } from '../src/common/organisation-type';
import { publishBulletin } from './helpers/bulletins';
import { axe, Browsers, inEveryLanguage, Person, tabTo } from './helpers/browser';
import { makeOrganisation, makeUser, member, TestUser } from './helpers/factory';
import { startTestApp, TestApp } from './helpers/test-app';
import { until } from './helpers/wait';
import { WEBHOOK_TEST_ENV, WebhookReceiver } from './helpers/webhook-receiver';

describe('the webhooks desk', () => {
  let t: TestApp;
  let browsers: Browsers;
  let admin: Person;
  let author: TestUser;
  const receiver = new WebhookReceiver();

  beforeAll(async () => {
    await receiver.start();
    // The receiver shares this process with the browser's driver: on a loaded machine its 500 must not
    // come later than the timeout and read as silence.
    t = await startTestApp({ ...WEBHOOK_TEST_ENV, WEBHOOK_TIMEOUT_MS: '5000' });
    const police = await makeOrganisation(t, OrganisationType.POLICE, ['NLRTM'], 'Zeehavenpolitie');
    const user = await makeUser(t, police, MemberRole.ORG_ADMIN);
    author = await member(t, await makeOrganisation(t, OrganisationType.TERMINAL_OPERATOR), MemberRole.ANALYST);
    browsers = await Browsers.launch(t.baseUrl);
    admin = await browsers.open(user.email);
    await browsers.signIn(admin);
  });

  afterAll(async () => {
    await browsers?.close();
    await t?.close();
    await receiver.stop();
  });

  /** Registers a webhook by keyboard and returns the secret the dialog shows once. */
  async function register(name: string, url: string): Promise<string> {
    const page = admin.page;
    const form = page.getByRole('region', { name: 'New webhook' });
    await tabTo(page, form.getByRole('textbox', { name: 'Name' }));
    await page.keyboard.type(name);
    await page.keyboard.press('Tab');
    await page.keyboard.type(url);
    await tabTo(page, form.getByRole('button', { name: 'Create and show the secret' }));
    await page.keyboard.press('Enter');
    const secret = (await page.getByTestId('secret-once').innerText()).trim();
    await axe(page, '[role="dialog"]');
    await tabTo(page, page.getByRole('button', { name: 'I have stored it' }));
    await page.keyboard.press('Enter');
    return secret;
  }

  it('registers a webhook, shows its secret once, and the endpoint gets signed deliveries', async () => {
    const page = admin.page;
    await page.getByRole('navigation', { name: 'Desks' }).getByRole('link', { name: 'Webhooks' }).click();
    await page.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();
    await axe(page);
    const secret = await register('SIEM of the port police', receiver.url('/siem'));
    expect(secret).toMatch(/^whsec_/);
    const row = page.getByTestId('webhooks').getByRole('row').filter({ hasText: 'SIEM of the port police' });
    await row.getByText('Active').waitFor();
    // The column of buttons is named for screen readers.
    await page.getByTestId('webhooks').getByRole('columnheader', { name: 'Actions' }).waitFor();
    expect(await page.locator('body').innerText()).not.toContain(secret);

    const id = await publishBulletin(t, author.token, { tlp: 'GREEN', title: 'Extraction team at the reefer stack' });
    await until(() => receiver.at('/siem').length === 1);
    const [delivery] = receiver.at('/siem');
    expect(new Verifier(secret).verify(delivery.body, delivery.headers)).toMatchObject({
      data: { bulletinId: id, title: 'Extraction team at the reefer stack' },
    });
    await row.getByRole('button', { name: 'Deliveries' }).click();
    const deliveries = page.getByRole('region', { name: 'Deliveries to SIEM of the port police' });
    await deliveries.getByText('Delivered').waitFor();
    await axe(page);
  });

  it('shows a failing endpoint, its failed delivery with the reason, and sends it again', async () => {
    const page = admin.page;
    await register('Case system', receiver.url('/down', { failFirst: 1000 }));
    const id = await publishBulletin(t, author.token, { tlp: 'GREEN' });
    await until(
      async () =>
        (
          await t.dataSource.query(
            `SELECT 1 FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
              WHERE w.name = 'Case system' AND d.bulletin_id = $1 AND d.status = 'FAILED'`,
            [id],
          )
        ).length === 1,
      30_000,
    );
    await page.reload();
    const row = page.getByTestId('webhooks').getByRole('row').filter({ hasText: 'Case system' });
    await row.getByText('Failing').waitFor();
    await row.getByText('The endpoint answered HTTP 500').waitFor();
    await row.getByRole('button', { name: 'Deliveries' }).click();
    const deliveries = page.getByRole('region', { name: 'Deliveries to Case system' });
    const failed = deliveries.getByRole('row').filter({ hasText: 'Failed' });
    await failed.getByText('The endpoint answered HTTP 500').waitFor();
    await axe(page);
    const attempts = receiver.at('/down').length;
    await failed.getByRole('button', { name: 'Send again' }).click();
    await page
      .getByRole('dialog')
      .getByText(/if your organisation may still read the bulletin/)
      .waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Send again' }).click();
    await until(() => receiver.at('/down').length > attempts);

    // Failing for days, it was disabled: the desk says so and what to do, and an admin enables it again.
    await t.dataSource.query(
      `UPDATE webhooks SET failing_since = now() - interval '4 days', disabled_at = now() WHERE name = 'Case system'`,
    );
    await page.reload();
    const notice = page.getByRole('alert').filter({ hasText: 'Case system is disabled' });
    await notice.getByText(/Fix the endpoint, enable the webhook/).waitFor();
    await row.getByText('Disabled').waitFor();
    await axe(page);
    await row.getByRole('button', { name: 'Enable' }).click();
    await page
      .getByRole('dialog')
      .getByText(/gets alerts again from now on/)
      .waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Enable' }).click();
    await row.getByText('Failing').waitFor();
    await notice.waitFor({ state: 'detached' });

    await row.getByRole('button', { name: 'Delete' }).click();
    await page
      .getByRole('dialog')
      .getByText(/cannot be undone/)
      .waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await row.getByText('Deleted').waitFor();
    await inEveryLanguage(page, t.baseUrl, ['/webhooks']);
  });
});
