/**
 * Webhooks, end to end against a local HTTPS receiver: registration by organisation admins (HTTPS,
 * public addresses, a marking cap), Standard Webhooks signatures checked with the `standardwebhooks`
 * library a receiver would use, payloads no richer than the e-mail for the marking, retries with
 * back-off against an endpoint that fails first, FAILED (visible, retryable) for one that never
 * answers, a rotated secret, a deleted webhook.
 */
import { Webhook as Verifier } from 'standardwebhooks';
import { MemberRole, OrganisationType } from '../src/common/organisation-type';
import { bulletinInput, publishBulletin } from './helpers/bulletins';
import { makeOrganisation, member, TestUser } from './helpers/factory';
import { codeOf, startTestApp, TestApp } from './helpers/test-app';
import { until } from './helpers/wait';
import { ReceivedWebhook, WEBHOOK_TEST_ENV, WebhookReceiver } from './helpers/webhook-receiver';

const CREATE = `mutation($i: WebhookInput!) { createWebhook(input: $i) { secret webhook { id url maxTlp secretHint } } }`;
const DELIVERIES = `query($id: ID!, $status: WebhookDeliveryStatus) { webhookDeliveries(webhookId: $id, status: $status) {
  id bulletinId version kind status attempts lastStatusCode lastError sentAt } }`;
const WEBHOOKS = `{ webhooks { id name lastSuccessAt lastFailureAt lastError deletedAt filter { categories } } }`;

type Delivery = { id: string; bulletinId: string; status: string; attempts: number; lastError: string | null };

describe('webhooks', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  let author: TestUser;
  let policeAdmin: TestUser;
  let policeAnalyst: TestUser;
  let otherAdmin: TestUser;
  let police: string;

  const register = async (path: string, maxTlp: string, behaviour = {}, extra: Record<string, unknown> = {}) => {
    const r = await t.gql(
      CREATE,
      { i: { name: path, url: receiver.url(path, behaviour), maxTlp, ...extra } },
      policeAdmin.token,
    );
    if (!r.data) throw new Error(JSON.stringify(r.errors));
    return r.data.createWebhook as { secret: string; webhook: { id: string; secretHint: string } };
  };
  const deliveries = async (id: string, status?: string): Promise<Delivery[]> => {
    const r = await t.gql(DELIVERIES, { id, status }, policeAdmin.token);
    if (!r.data) throw new Error(JSON.stringify(r.errors));
    return r.data.webhookDeliveries;
  };
  const payloadOf = (r: ReceivedWebhook) => JSON.parse(r.body) as { type: string; data: Record<string, unknown> };
  const about = (path: string, bulletinId: string) =>
    receiver.at(path).filter((r) => payloadOf(r).data.bulletinId === bulletinId);

  beforeAll(async () => {
    receiver = new WebhookReceiver();
    await receiver.start();
    t = await startTestApp(WEBHOOK_TEST_ENV);
    author = await member(
      t,
      await makeOrganisation(t, OrganisationType.TERMINAL_OPERATOR, ['NLRTM']),
      MemberRole.ANALYST,
    );
    police = await makeOrganisation(t, OrganisationType.POLICE, ['NLRTM']);
    policeAdmin = await member(t, police, MemberRole.ORG_ADMIN);
    policeAnalyst = await member(t, police, MemberRole.ANALYST);
    otherAdmin = await member(t, await makeOrganisation(t, OrganisationType.CUSTOMS, ['NLRTM']), MemberRole.ORG_ADMIN);
  });

  afterAll(async () => {
    await t.close();
    await receiver.stop();
  });

  it('is registered by organisation admins only, over HTTPS, never for RED, and is its organisation’s own', async () => {
    const input = (over: Record<string, unknown>) => ({
      i: { name: 'x', url: 'https://siem.police.example/hook', maxTlp: 'GREEN', ...over },
    });
    expect(codeOf(await t.gql(CREATE, input({ url: 'http://siem.police.example/hook' }), policeAdmin.token))).toBe(
      'BAD_USER_INPUT',
    );
    expect(codeOf(await t.gql(CREATE, input({ url: 'https://user:pw@siem.police.example/' }), policeAdmin.token))).toBe(
      'BAD_USER_INPUT',
    );
    expect(codeOf(await t.gql(CREATE, input({ url: 'not a url' }), policeAdmin.token))).toBe('BAD_USER_INPUT');
    expect(codeOf(await t.gql(CREATE, input({ maxTlp: 'RED' }), policeAdmin.token))).toBe('BAD_USER_INPUT');
    expect(codeOf(await t.gql(CREATE, input({}), policeAnalyst.token))).toBe('FORBIDDEN');

    const { secret, webhook } = await register('/owned', 'GREEN');
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(webhook.secretHint).toBe(secret.slice(-4));
    const [row] = await t.dataSource.query(`SELECT * FROM webhooks WHERE id = $1`, [webhook.id]);
    expect(JSON.stringify(row)).not.toContain(secret.slice(6, 30));
    expect((await t.gql(WEBHOOKS, {}, otherAdmin.token)).data.webhooks).toEqual([]);
    for (const mutation of ['deleteWebhook', 'rotateWebhookSecret'])
      expect(
        codeOf(
          await t.gql(
            `mutation($id: ID!) { ${mutation}(id: $id) { __typename } }`,
            { id: webhook.id },
            otherAdmin.token,
          ),
        ),
      ).toBe('NOT_FOUND');
    expect(codeOf(await t.gql(DELIVERIES, { id: webhook.id }, otherAdmin.token))).toBe('NOT_FOUND');
    await t.gql(`mutation($id: ID!) { deleteWebhook(id: $id) { id } }`, { id: webhook.id }, policeAdmin.token);
  });

  it('signs each delivery (Standard Webhooks) and says no more than the e-mail for the marking', async () => {
    const { secret, webhook } = await register('/siem', 'AMBER_STRICT');
    const green = await publishBulletin(t, author.token, { tlp: 'GREEN', title: 'Cloned container numbers at gate 4' });
    const strict = await publishBulletin(t, author.token, { tlp: 'AMBER_STRICT', recipientOrganisationIds: [police] });
    const notShared = await publishBulletin(t, author.token, { tlp: 'AMBER', recipientOrganisationIds: [] });
    const marker = await publishBulletin(t, author.token, { tlp: 'CLEAR' });
    // One attempt at a time per endpoint, in whatever order their turns come.
    await until(() => [green, strict, marker].every((id) => about('/siem', id).length === 1));
    expect(about('/siem', notShared)).toEqual([]);

    const [open] = about('/siem', green);
    const verifier = new Verifier(secret);
    expect(verifier.verify(open.body, open.headers)).toMatchObject({ type: 'bulletin.published' });
    expect(open.headers['webhook-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(payloadOf(open).data).toMatchObject({
      bulletinId: green,
      version: 1,
      tlp: 'GREEN',
      title: 'Cloned container numbers at gate 4',
      url: `http://harbourwatch.test/bulletins/${green}`,
    });
    // A changed body, a replayed old timestamp or another secret does not verify.
    expect(() => verifier.verify(open.body.replace('gate 4', 'gate 5'), open.headers)).toThrow();
    const old = new Date(Date.now() - 10 * 60_000);
    const replay = {
      ...open.headers,
      'webhook-timestamp': String(Math.floor(old.getTime() / 1000)),
      'webhook-signature': verifier.sign(open.headers['webhook-id'], old, open.body),
    };
    expect(() => verifier.verify(open.body, replay)).toThrow(/too old/);
    expect(() =>
      new Verifier(`whsec_${Buffer.alloc(32, 1).toString('base64')}`).verify(open.body, open.headers),
    ).toThrow();

    const [linkOnly] = about('/siem', strict);
    expect(payloadOf(linkOnly).data).toEqual({
      bulletinId: strict,
      version: 1,
      tlp: 'AMBER_STRICT',
      url: `http://harbourwatch.test/bulletins/${strict}`,
    });
    // Settled once the endpoint's answer is back: after the receiver has the request.
    await until(async () => (await deliveries(webhook.id, 'SENT')).length === 3);
    const sent = await deliveries(webhook.id, 'SENT');
    expect(sent.map((d) => d.bulletinId).sort()).toEqual([green, strict, marker].sort());
  });

  it('caps what it is told at its marking, and follows its filter', async () => {
    await register('/green-only', 'GREEN', {}, { filter: { categories: ['INSIDER_THREAT'] } });
    const strict = await publishBulletin(t, author.token, { tlp: 'AMBER_STRICT', recipientOrganisationIds: [police] });
    const otherCategory = await publishBulletin(t, author.token, { tlp: 'GREEN', category: 'PIN_FRAUD' });
    const marker = await publishBulletin(t, author.token, { tlp: 'GREEN' });
    await until(() => about('/green-only', marker).length === 1);
    expect(about('/green-only', strict)).toEqual([]);
    expect(about('/green-only', otherCategory)).toEqual([]);
  });

  it('retries with back-off until a failing endpoint takes it, with the same id every time', async () => {
    const { secret, webhook } = await register('/flaky', 'GREEN', { failFirst: 2 });
    const id = await publishBulletin(t, author.token, { tlp: 'GREEN' });
    await until(async () => (await deliveries(webhook.id, 'SENT')).length === 1, 30_000);
    const attempts = about('/flaky', id);
    expect(attempts).toHaveLength(3);
    expect(new Set(attempts.map((a) => a.headers['webhook-id'])).size).toBe(1);
    for (const a of attempts) new Verifier(secret).verify(a.body, a.headers);
    const gaps = attempts
      .slice(1)
      .map((a, i) => Number(a.headers['webhook-timestamp']) - Number(attempts[i].headers['webhook-timestamp']));
    expect(gaps.every((g) => g >= 1)).toBe(true);
    const [delivery] = await deliveries(webhook.id);
    expect(delivery).toMatchObject({ status: 'SENT', attempts: 3, lastError: 'The endpoint answered HTTP 500' });
    const shown = (await t.gql(WEBHOOKS, {}, policeAdmin.token)).data.webhooks.find(
      (w: { id: string }) => w.id === webhook.id,
    );
    expect(shown.lastSuccessAt).not.toBeNull();
    expect(shown.lastFailureAt).not.toBeNull();
  });

  it('gives up on an endpoint that never answers: FAILED, visible, and sent again on request', async () => {
    const { webhook } = await register('/silent', 'GREEN', { silent: true });
    const id = await publishBulletin(t, author.token, { tlp: 'GREEN' });
    await until(async () => (await deliveries(webhook.id, 'FAILED')).length === 1, 60_000);
    const [failed] = await deliveries(webhook.id, 'FAILED');
    expect(failed).toMatchObject({ bulletinId: id, attempts: 4, lastError: 'No answer within 1 s' });
    expect(about('/silent', id)).toHaveLength(4);
    const shown = (await t.gql(WEBHOOKS, {}, policeAdmin.token)).data.webhooks.find(
      (w: { id: string }) => w.id === webhook.id,
    );
    expect(shown).toMatchObject({ lastSuccessAt: null, lastError: 'No answer within 1 s' });

    expect(
      codeOf(
        await t.gql(`mutation($id: ID!) { retryWebhookDelivery(id: $id) { id } }`, { id: failed.id }, otherAdmin.token),
      ),
    ).toBe('NOT_FOUND');
    const retried = await t.gql(
      `mutation($id: ID!) { retryWebhookDelivery(id: $id) { status } }`,
      { id: failed.id },
      policeAdmin.token,
    );
    expect(retried.data.retryWebhookDelivery.status).toBe('PENDING');
    await until(() => about('/silent', id).length === 5, 30_000);
  });

  it('decides again when a failed delivery is sent again: a bulletin no longer shared with the organisation is skipped', async () => {
    const { webhook } = await register('/down', 'AMBER_STRICT', { failFirst: 1000 });
    const other = await makeOrganisation(t, OrganisationType.CUSTOMS, ['NLRTM']);
    const id = await publishBulletin(t, author.token, { tlp: 'AMBER', recipientOrganisationIds: [police] });
    await until(async () => (await deliveries(webhook.id, 'FAILED')).some((d) => d.bulletinId === id), 30_000);
    const attempts = about('/down', id).length;
    const revised = await t.gql(
      `mutation($id: ID!, $input: BulletinInput!) { reviseBulletin(id: $id, input: $input, changeNote: "narrowed") { id } }`,
      { id, input: bulletinInput({ tlp: 'AMBER', recipientOrganisationIds: [other] }) },
      author.token,
    );
    if (!revised.data) throw new Error(JSON.stringify(revised.errors));
    const failed = (await deliveries(webhook.id, 'FAILED')).find((d) => d.bulletinId === id)!;
    await t.gql(`mutation($id: ID!) { retryWebhookDelivery(id: $id) { id } }`, { id: failed.id }, policeAdmin.token);
    await until(async () => (await deliveries(webhook.id)).find((d) => d.id === failed.id)?.status === 'SKIPPED');
    expect(about('/down', id)).toHaveLength(attempts);
    // The revision itself is not announced to an organisation that no longer reads the bulletin.
    expect((await deliveries(webhook.id)).filter((d) => d.bulletinId === id)).toHaveLength(1);
  });

  it('signs with a rotated secret at once, and a deleted webhook gets nothing more', async () => {
    const { secret: first, webhook } = await register('/rotating', 'GREEN');
    const rotated = await t.gql(
      `mutation($id: ID!) { rotateWebhookSecret(id: $id) { secret } }`,
      { id: webhook.id },
      policeAdmin.token,
    );
    const second = rotated.data.rotateWebhookSecret.secret as string;
    const id = await publishBulletin(t, author.token, { tlp: 'GREEN' });
    await until(() => about('/rotating', id).length === 1);
    const [delivery] = about('/rotating', id);
    expect(() => new Verifier(second).verify(delivery.body, delivery.headers)).not.toThrow();
    expect(() => new Verifier(first).verify(delivery.body, delivery.headers)).toThrow();

    await t.gql(`mutation($id: ID!) { deleteWebhook(id: $id) { deletedAt } }`, { id: webhook.id }, policeAdmin.token);
    const after = await publishBulletin(t, author.token, { tlp: 'GREEN' });
    const marker = await publishBulletin(t, author.token, { tlp: 'GREEN' });
    await until(() => about('/siem', marker).length === 1);
    expect(about('/rotating', after)).toEqual([]);
  });
});

describe('webhooks without private addresses (the default)', () => {
  let t: TestApp;
  let receiver: WebhookReceiver;
  let admin: TestUser;
  beforeAll(async () => {
    receiver = new WebhookReceiver();
    await receiver.start();
    t = await startTestApp({ ...WEBHOOK_TEST_ENV, WEBHOOK_ALLOW_PRIVATE_ADDRESSES: 'false', WEBHOOK_RETRY_LIMIT: '0' });
    admin = await member(t, await makeOrganisation(t, OrganisationType.POLICE, ['NLRTM']), MemberRole.ORG_ADMIN);
  });
  afterAll(async () => {
    await t.close();
    await receiver.stop();
  });

  /** Why the webhook's delivery of a new GREEN bulletin failed (no retries here). */
  const failureOf = async (id: string): Promise<string> => {
    const author = await member(t, await makeOrganisation(t, OrganisationType.TERMINAL_OPERATOR), MemberRole.ANALYST);
    await publishBulletin(t, author.token, { tlp: 'GREEN' });
    await until(
      async () => (await t.gql(DELIVERIES, { id, status: 'FAILED' }, admin.token)).data.webhookDeliveries.length === 1,
    );
    const [failed] = (await t.gql(DELIVERIES, { id, status: 'FAILED' }, admin.token)).data.webhookDeliveries;
    return failed.lastError;
  };

  it('refuses an endpoint on a private, loopback or link-local address', async () => {
    for (const url of [
      'https://127.0.0.1/hook',
      'https://10.1.2.3/',
      'https://169.254.169.254/latest',
      'https://[::1]/',
      'https://localhost/',
      // Every IPv6 form of an IPv4 address: compatible (deprecated), mapped, NAT64, 6to4.
      'https://[::127.0.0.1]/',
      'https://[::10.0.0.1]/',
      'https://[::ffff:127.0.0.1]/',
      'https://[64:ff9b::7f00:1]/',
      'https://[2002:7f00:1::]/',
      'https://[fc00::1]/',
    ])
      expect(codeOf(await t.gql(CREATE, { i: { name: 'x', url, maxTlp: 'GREEN' } }, admin.token))).toBe(
        'BAD_USER_INPUT',
      );
  });

  it('does not call an address that turns private after registration (checked on the resolved address)', async () => {
    const created = await t.gql(
      CREATE,
      { i: { name: 'rebinding', url: 'https://siem.police.example/hook', maxTlp: 'GREEN' } },
      admin.token,
    );
    const id = created.data.createWebhook.webhook.id as string;
    // As if the name now resolved to a loopback address: the endpoint would answer, if it were called.
    await t.dataSource.query(`UPDATE webhooks SET url = $2 WHERE id = $1`, [id, receiver.url('/inside')]);
    // What the admin can act on, never the resolved address.
    expect(await failureOf(id)).toBe('Address not allowed: the name does not lead to a public address');
    expect(receiver.at('/inside')).toEqual([]);
  });

  it('tells a name that does not resolve exactly as one that leads inside: no map of the internal network', async () => {
    const created = await t.gql(
      CREATE,
      { i: { name: 'nowhere', url: 'https://no-such-host.invalid/hook', maxTlp: 'GREEN' } },
      admin.token,
    );
    expect(await failureOf(created.data.createWebhook.webhook.id)).toBe(
      'Address not allowed: the name does not lead to a public address',
    );
  });
});

describe('webhooks per organisation', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ ...WEBHOOK_TEST_ENV, WEBHOOKS_PER_ORGANISATION: '2' });
  });
  afterAll(() => t.close());

  it('keeps each organisation to its share of webhooks: a deleted one makes room', async () => {
    const admin = await member(t, await makeOrganisation(t, OrganisationType.POLICE, ['NLRTM']), MemberRole.ORG_ADMIN);
    const create = (name: string) =>
      t.gql(CREATE, { i: { name, url: `https://siem.police.example/${name}`, maxTlp: 'GREEN' } }, admin.token);
    const first = await create('one');
    expect(codeOf(await create('two'))).toBe('OK');
    const third = await create('three');
    expect(codeOf(third)).toBe('CONFLICT');
    expect(third.errors![0].message).toBe('Your organisation has 2 webhooks, the most it may keep: remove one first');
    await t.gql(
      `mutation($id: ID!) { deleteWebhook(id: $id) { id } }`,
      { id: first.data.createWebhook.webhook.id },
      admin.token,
    );
    expect(codeOf(await create('four'))).toBe('OK');
  });
});
