/**
 * Fair webhook delivery (issue 26, item 3): one organisation's endpoints that accept the connection
 * and never answer hold only its own share of the workers, one attempt per endpoint at a time, while
 * another organisation's healthy endpoint gets its alert at once. An endpoint failing for
 * WEBHOOK_DISABLE_AFTER_HOURS is disabled, its admins are told by e-mail and on the desk, and an admin
 * enables it again.
 */
import { MemberRole, OrganisationType } from '../src/common/organisation-type';
import { OUTBOX_SCHEMA, QUEUE } from '../src/outbox/outbox-queues';
import { publishBulletin } from './helpers/bulletins';
import { makeOrganisation, member, TestUser } from './helpers/factory';
import { startTestApp, TestApp } from './helpers/test-app';
import { until } from './helpers/wait';
import { WEBHOOK_TEST_ENV, WebhookReceiver } from './helpers/webhook-receiver';

const CREATE = `mutation($i: WebhookInput!) { createWebhook(input: $i) { webhook { id } } }`;
const WEBHOOKS = `{ webhooks { id failingSince disabledAt lastError } }`;
const DELIVERIES = `query($id: ID!) { webhookDeliveries(webhookId: $id) { bulletinId status lastError } }`;

describe('fair webhook delivery', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  let author: TestUser;
  let noisyAdmin: TestUser;
  let victimAdmin: TestUser;

  const register = async (admin: TestUser, path: string, behaviour = {}) => {
    const r = await t.gql(
      CREATE,
      { i: { name: path, url: receiver.url(path, behaviour), maxTlp: 'GREEN' } },
      admin.token,
    );
    if (!r.data) throw new Error(JSON.stringify(r.errors));
    return r.data.createWebhook.webhook.id as string;
  };

  beforeAll(async () => {
    receiver = new WebhookReceiver();
    await receiver.start();
    t = await startTestApp({
      ...WEBHOOK_TEST_ENV,
      WEBHOOK_TIMEOUT_MS: '4000',
      WEBHOOK_RETRY_LIMIT: '0',
      WEBHOOK_WORKERS: '4',
      WEBHOOK_CONCURRENCY_PER_ORGANISATION: '2',
    });
    author = await member(t, await makeOrganisation(t, OrganisationType.TERMINAL_OPERATOR), MemberRole.ANALYST);
    noisyAdmin = await member(t, await makeOrganisation(t, OrganisationType.SHIPPING_COMPANY), MemberRole.ORG_ADMIN);
    victimAdmin = await member(t, await makeOrganisation(t, OrganisationType.POLICE), MemberRole.ORG_ADMIN);
  });
  afterAll(async () => {
    await t.close();
    await receiver.stop();
  });

  it("delivers another organisation's alert while one organisation's endpoints hang, each held to its share", async () => {
    for (let i = 0; i < 6; i++) await register(noisyAdmin, `/hanging-${i}`, { silent: true });
    await register(victimAdmin, '/victim');
    const first = await publishBulletin(t, author.token, { tlp: 'GREEN' });
    const second = await publishBulletin(t, author.token, { tlp: 'GREEN' });
    await until(() => receiver.at('/victim').length === 2, 20_000);
    // Both alerts reached the victim long before the hanging ones had all been tried (six rounds of two
    // attempts, 4 s each): first in, first out on a shared pool, they waited behind them.
    expect(receiver.silentEnded).toBeLessThanOrEqual(2);
    expect(
      receiver
        .at('/victim')
        .map((r) => (JSON.parse(r.body) as { data: { bulletinId: string } }).data.bulletinId)
        .sort(),
    ).toEqual([first, second].sort());
    // Taken ahead of the backlog: each of its jobs ranks above every job of the organisation whose
    // deliveries wait (workers take jobs by priority, then age).
    const ranks = await t.dataSource.query<{ organisation: string; priority: number }[]>(
      `SELECT data->>'organisationId' AS organisation, priority FROM ${OUTBOX_SCHEMA}.job WHERE name = $1`,
      [QUEUE.webhook],
    );
    const victimRanks = ranks.filter((r) => r.organisation === victimAdmin.organisationId).map((r) => r.priority);
    const noisyRanks = ranks.filter((r) => r.organisation === noisyAdmin.organisationId).map((r) => r.priority);
    // One job per alert, and one more when its second waited for the first (one attempt per endpoint).
    expect(victimRanks.length).toBeGreaterThanOrEqual(2);
    expect(Math.min(...victimRanks)).toBeGreaterThan(Math.max(...noisyRanks));
    // All twelve hanging deliveries are attempted in turn: never more than two at once, one per endpoint.
    await until(() => receiver.received.filter((r) => r.path.startsWith('/hanging-')).length === 12, 60_000);
    expect(receiver.peakHanging.get('*')).toBe(2);
    for (let i = 0; i < 6; i++) expect(receiver.peakHanging.get(`/hanging-${i}`)).toBe(1);
  });

  it('disables an endpoint failing for WEBHOOK_DISABLE_AFTER_HOURS, tells its admins, and an admin enables it again', async () => {
    const id = await register(victimAdmin, '/broken', { failFirst: 1_000 });
    const firstId = await publishBulletin(t, author.token, { tlp: 'GREEN' });
    await until(async () => {
      const [d] = (await t.gql(DELIVERIES, { id }, victimAdmin.token)).data.webhookDeliveries;
      return d?.status === 'FAILED';
    }, 20_000);
    let shown = (await t.gql(WEBHOOKS, {}, victimAdmin.token)).data.webhooks.find((w: { id: string }) => w.id === id);
    expect(shown).toMatchObject({ disabledAt: null, lastError: 'The endpoint answered HTTP 500' });
    expect(shown.failingSince).not.toBeNull();

    // Three days of failures later (WEBHOOK_DISABLE_AFTER_HOURS, 72 by default), the next failure disables it.
    await t.dataSource.query(`UPDATE webhooks SET failing_since = now() - interval '73 hours' WHERE id = $1`, [id]);
    await publishBulletin(t, author.token, { tlp: 'GREEN' });
    const mail = await t.smtp.waitFor(victimAdmin.email, 20_000);
    expect(mail.subject).toBe('Webhook "/broken" was disabled on Harbourwatch');
    expect(mail.text).toContain('The endpoint answered HTTP 500');
    expect(mail.text).toContain(`${t.config.publicUrl}/webhooks`);
    shown = (await t.gql(WEBHOOKS, {}, victimAdmin.token)).data.webhooks.find((w: { id: string }) => w.id === id);
    expect(shown.disabledAt).not.toBeNull();
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'disableWebhook' AND object_id = $1`,
      [id],
    );
    expect(n).toBe(1);

    // Disabled: the next alert makes no delivery for it.
    const skipped = await publishBulletin(t, author.token, { tlp: 'GREEN' });
    await until(() => receiver.at('/victim').some((r) => r.body.includes(skipped)), 10_000);
    const listed = (await t.gql(DELIVERIES, { id }, victimAdmin.token)).data.webhookDeliveries;
    expect(listed.map((d: { bulletinId: string }) => d.bulletinId)).not.toContain(skipped);
    expect(listed.map((d: { bulletinId: string }) => d.bulletinId)).toContain(firstId);

    // Fixed and enabled again: alerts flow, and its failures are forgotten.
    receiver.url('/broken', {});
    const enabled = await t.gql(
      `mutation($id: ID!) { enableWebhook(id: $id) { disabledAt failingSince } }`,
      { id },
      victimAdmin.token,
    );
    expect(enabled.data.enableWebhook).toEqual({ disabledAt: null, failingSince: null });
    const after = await publishBulletin(t, author.token, { tlp: 'GREEN' });
    await until(() => receiver.at('/broken').some((r) => r.body.includes(after)), 10_000);
  });
});
