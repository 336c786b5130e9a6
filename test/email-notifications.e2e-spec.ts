import { MemberRole, OrganisationType } from '../src/common/organisation-type';
import { DigestService } from '../src/notifications/digest.service';
import { makeOrganisation, member, TestUser } from './helpers/factory';
import { bulletinInput, publishBulletin } from './helpers/bulletins';
import { codeOf, startTestApp, TestApp } from './helpers/test-app';
import { until } from './helpers/wait';

const SUBSCRIBE = `mutation($i: AlertSubscriptionInput!) { createAlertSubscription(input: $i) { id } }`;
const FAILURES = `{ notificationFailures(first: 50) { edges { node { bulletinId userId attempts lastError } } } }`;

describe('e-mail notifications through the durable outbox', () => {
  let t: TestApp;
  let analyst: TestUser;
  let police: TestUser;
  let policeAdmin: TestUser;
  let shipper: TestUser;
  let policeOrg: string;

  beforeAll(async () => {
    t = await startTestApp({ EMAIL_RETRY_LIMIT: '2', EMAIL_RETRY_DELAY_SECONDS: '1' });
    analyst = await member(
      t,
      await makeOrganisation(t, OrganisationType.TERMINAL_OPERATOR, ['NLRTM']),
      MemberRole.ANALYST,
    );
    policeOrg = await makeOrganisation(t, OrganisationType.POLICE, ['NLRTM']);
    police = await member(t, policeOrg, MemberRole.MEMBER);
    policeAdmin = await member(t, policeOrg, MemberRole.ORG_ADMIN);
    shipper = await member(
      t,
      await makeOrganisation(t, OrganisationType.SHIPPING_COMPANY, ['BEANR']),
      MemberRole.MEMBER,
    );
    for (const u of [police, shipper]) {
      await t.gql(SUBSCRIBE, { i: { name: 'Everything', channels: ['EMAIL'], mode: 'IMMEDIATE' } }, u.token);
    }
  });
  afterAll(() => t.close());

  const mailsTo = (u: TestUser) =>
    t.smtp.mails.filter((m) => m.to.includes(u.email.toLowerCase()) || m.to.includes(u.email));

  it('mails a bulletin to the subscribers who may see it, once, with its content and an unsubscribe link', async () => {
    const id = await publishBulletin(t, analyst.token, {
      tlp: 'AMBER',
      recipientOrganisationIds: [policeOrg],
      title: 'Extraction team at gate 7',
      indicators: [
        { type: 'CONTAINER_NUMBER', value: 'CSQU3054383' },
        { type: 'URL', value: 'http://pin-portal.example.com/login' },
      ],
    });
    await until(() => mailsTo(police).some((m) => m.text.includes(id)));
    const mail = mailsTo(police).find((m) => m.text.includes(id))!;
    expect(mail.subject).toBe('[TLP:AMBER] [SEVERE] Extraction team at gate 7');
    expect(mail.text).toContain('A crane driver reported being offered money');
    // Its indicators, a link defanged so that no mail client makes it clickable.
    expect(mail.text).toContain('- container number: CSQU3054383\n- url: hxxp://pin-portal[.]example[.]com/login');
    expect(mail.html).toContain('<code>url: hxxp://pin-portal[.]example[.]com/login</code>');
    expect(mail.text + mail.html).not.toContain('http://pin-portal');
    expect(mail.messageId).toMatch(/^<[0-9a-f-]{36}@harbourwatch>$/);
    expect(mail.text).toMatch(/http:\/\/harbourwatch\.test\/unsubscribe\?/);
    const marker = await publishBulletin(t, analyst.token, { tlp: 'GREEN', title: 'Marker' });
    await until(() => mailsTo(shipper).some((m) => m.text.includes(marker)));
    expect(mailsTo(shipper).some((m) => m.text.includes(id))).toBe(false);
    expect(mailsTo(police).filter((m) => m.text.includes(id))).toHaveLength(1);
  });

  it('sends only a link for AMBER_STRICT and RED, never the content', async () => {
    const id = await publishBulletin(t, analyst.token, {
      tlp: 'AMBER_STRICT',
      recipientOrganisationIds: [policeOrg],
      title: 'Secret title',
      indicators: [{ type: 'IP_ADDRESS', value: '198.51.100.23' }],
    });
    await until(() => mailsTo(police).some((m) => m.text.includes(id)));
    const mail = mailsTo(police).find((m) => m.text.includes(id))!;
    expect(mail.subject).not.toContain('Secret title');
    expect(mail.text).toContain('A bulletin marked TLP:AMBER+STRICT was shared with you');
    expect(mail.text + mail.html).not.toMatch(/Secret title|crane driver|198\.51|198\[\.\]51/);
  });

  it('notifies revisions and retractions too', async () => {
    const id = await publishBulletin(t, analyst.token, { tlp: 'GREEN', title: 'To be revised' });
    await t.gql(
      `mutation($id: ID!, $i: BulletinInput!) { reviseBulletin(id: $id, input: $i, changeNote: "more detail") { id } }`,
      { id, i: bulletinInput({ tlp: 'GREEN', title: 'Revised title' }) },
      analyst.token,
    );
    await t.gql(`mutation($id: ID!) { retractBulletin(id: $id, reason: "false alarm") { id } }`, { id }, analyst.token);
    await until(() => mailsTo(police).filter((m) => m.text.includes(id)).length === 3);
    expect(
      mailsTo(police)
        .filter((m) => m.text.includes(id))
        .map((m) => m.text.match(/Bulletin (\w+)/)![1])
        .sort(),
    ).toEqual(['published', 'retracted', 'revised']);
  });

  it('retries when the SMTP server refuses for a while', async () => {
    // Refused for police only: mail of earlier tests still being retried cannot take the refusals.
    t.smtp.deferred.set(police.email.toLowerCase(), 2);
    const id = await publishBulletin(t, analyst.token, { tlp: 'GREEN', title: 'Delivered after retries' });
    await until(
      () => mailsTo(police).some((m) => m.text.includes(id)) && mailsTo(shipper).some((m) => m.text.includes(id)),
    );
    const [row] = await t.dataSource.query(
      `SELECT attempts FROM notification_deliveries WHERE bulletin_id = $1 AND user_id = $2`,
      [id, police.id],
    );
    expect(Number(row.attempts)).toBeGreaterThan(1);
  });

  it('shows a permanently failing address to its organisation admin, and to nobody else', async () => {
    t.smtp.rejected.add(police.email.toLowerCase());
    const id = await publishBulletin(t, analyst.token, { tlp: 'GREEN', title: 'Never arrives' });
    await until(async () => {
      const r = await t.gql(FAILURES, {}, policeAdmin.token);
      return r.data.notificationFailures.edges.some((e: { node: { bulletinId: string } }) => e.node.bulletinId === id);
    }, 30_000);
    const r = await t.gql(FAILURES, {}, policeAdmin.token);
    expect(
      r.data.notificationFailures.edges.find((e: { node: { bulletinId: string } }) => e.node.bulletinId === id).node,
    ).toMatchObject({ userId: police.id, attempts: 3 });
    // Its batch's other recipients were sent on the first try; only the refused one was retried.
    const others = await t.dataSource.query(
      `SELECT status, attempts FROM notification_deliveries WHERE bulletin_id = $1 AND user_id <> $2`,
      [id, police.id],
    );
    expect(others.length).toBeGreaterThan(0);
    expect(others.every((d: { status: string; attempts: number }) => d.status === 'SENT' && d.attempts === 1)).toBe(
      true,
    );
    expect(codeOf(await t.gql(FAILURES, {}, police.token))).toBe('FORBIDDEN');
    t.smtp.rejected.clear();

    // Once the address works again, the admin sends it again: the same delivery, now SENT.
    const [failed] = await t.dataSource.query(
      `SELECT id FROM notification_deliveries WHERE bulletin_id = $1 AND user_id = $2`,
      [id, police.id],
    );
    const RETRY = `mutation($id: ID!) { retryNotification(id: $id) }`;
    expect(codeOf(await t.gql(RETRY, { id: failed.id }, police.token))).toBe('FORBIDDEN');
    t.smtp.mails.length = 0;
    expect((await t.gql(RETRY, { id: failed.id }, policeAdmin.token)).data.retryNotification).toBe(true);
    expect((await t.smtp.waitFor(police.email)).subject).toContain('Never arrives');
    await until(async () => {
      const [d] = await t.dataSource.query(`SELECT status FROM notification_deliveries WHERE id = $1`, [failed.id]);
      return d.status === 'SENT';
    }, 10_000);
    // Only a failed delivery goes again: the sent one is NOT_FOUND to a second retry.
    expect(codeOf(await t.gql(RETRY, { id: failed.id }, policeAdmin.token))).toBe('NOT_FOUND');
  }, 60_000);

  it('sends nothing for a publication that rolled back', async () => {
    const draft = await t.gql(
      `mutation($i: BulletinInput!) { createBulletin(input: $i) { id } }`,
      { i: bulletinInput({ tlp: 'GREEN' }) },
      analyst.token,
    );
    const id = draft.data.createBulletin.id;
    const r = await t.gql(
      `mutation($id: ID!) { a: publishBulletin(id: $id) { id } b: retractBulletin(id: "00000000-0000-4000-8000-000000000000", reason: "x-fail") { id } }`,
      { id },
      analyst.token,
    );
    expect(codeOf(r)).toBe('NOT_FOUND');
    await new Promise((resolve) => setTimeout(resolve, 2000));
    expect(t.smtp.mails.some((m) => m.text.includes(id))).toBe(false);
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM pgboss.job WHERE data->>'bulletinId' = $1`,
      [id],
    );
    expect(n).toBe(0);
  });

  it('unsubscribes by one-click POST (RFC 8058 headers), asks for confirmation on GET, and refuses a forged link', async () => {
    const id = await publishBulletin(t, analyst.token, { tlp: 'GREEN', title: 'Unsubscribe me' });
    await until(() => mailsTo(shipper).some((m) => m.text.includes(id)));
    const link = /(http:\/\/harbourwatch\.test\/unsubscribe\?\S+)/.exec(
      mailsTo(shipper).find((m) => m.text.includes(id))!.text,
    )![1];
    const local = link.replace('http://harbourwatch.test', t.baseUrl);
    const mail = mailsTo(shipper).find((m) => m.text.includes(id))!;
    // RFC 8058: mail clients offer one-click unsubscribe from the headers.
    // (mailparser groups the List-* headers.)
    expect(mail.headers.get('list')).toEqual({
      unsubscribe: { id: link, name: 'Unsubscribe' },
      'unsubscribe-post': { name: 'List-Unsubscribe=One-Click' },
    });
    const subscriptions = async () =>
      (await t.gql(`{ alertSubscriptions { edges { node { id } } } }`, {}, shipper.token)).data.alertSubscriptions
        .edges;
    expect((await fetch(local.replace(/t=[^&]+/, 't=forged'), { method: 'POST' })).status).toBe(400);
    // Opening the link (or a scanner fetching it) only asks for confirmation.
    const page = await fetch(local);
    expect([page.status, await page.text()]).toEqual([200, expect.stringContaining('<form method="post"')]);
    expect(await subscriptions()).toHaveLength(1);
    const oneClick = await fetch(local, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.status).toBe(200);
    expect(await subscriptions()).toEqual([]);
  });

  it('stops only the e-mail of a subscription that also alerts in real time, and says so', async () => {
    const both = await member(t, policeOrg, MemberRole.MEMBER);
    await t.gql(SUBSCRIBE, { i: { name: 'Both', channels: ['EMAIL', 'REALTIME'], mode: 'IMMEDIATE' } }, both.token);
    const id = await publishBulletin(t, analyst.token, { tlp: 'GREEN', title: 'Keep me in the console' });
    await until(() => mailsTo(both).some((m) => m.text.includes(id)));
    const link = /http:\/\/harbourwatch\.test(\/unsubscribe\?\S+)/.exec(
      mailsTo(both).find((m) => m.text.includes(id))!.text,
    )![1];
    const page = await fetch(`${t.baseUrl}${link}`);
    expect(await page.text()).toContain('Its alerts in the console, if it has them, go on.');
    const done = await fetch(`${t.baseUrl}${link}`, { method: 'POST' });
    expect([done.status, await done.text()]).toEqual([
      200,
      'You are unsubscribed from its e-mail: this alert subscription goes on showing alerts in the console.',
    ]);
    const left = await t.gql(`{ alertSubscriptions { edges { node { name channels } } } }`, {}, both.token);
    expect(left.data.alertSubscriptions.edges).toEqual([{ node: { name: 'Both', channels: ['REALTIME'] } }]);
  });
});

describe('daily digest', () => {
  let t: TestApp;
  let analyst: TestUser;
  let reader: TestUser;
  let other: TestUser;

  beforeAll(async () => {
    t = await startTestApp();
    analyst = await member(
      t,
      await makeOrganisation(t, OrganisationType.TERMINAL_OPERATOR, ['NLRTM']),
      MemberRole.ANALYST,
    );
    reader = await member(t, await makeOrganisation(t, OrganisationType.POLICE, ['NLRTM']), MemberRole.MEMBER);
    other = await member(t, await makeOrganisation(t, OrganisationType.CUSTOMS, ['NLRTM']), MemberRole.MEMBER);
    for (const u of [reader, other]) {
      await t.gql(SUBSCRIBE, { i: { name: 'Morning digest', channels: ['EMAIL'], mode: 'DAILY_DIGEST' } }, u.token);
    }
  });
  afterAll(() => t.close());

  it('sends one mail per user listing the bulletins of the day, then nothing until new ones come', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push(await publishBulletin(t, analyst.token, { tlp: 'GREEN', title: `Digest item ${i}` }));
    const hidden = await publishBulletin(t, analyst.token, {
      tlp: 'AMBER_STRICT',
      title: 'Not for the digest readers',
    });
    await until(async () => {
      const [{ n }] = await t.dataSource.query(
        `SELECT count(*)::int AS n FROM digest_items WHERE bulletin_id = ANY($1)`,
        [ids],
      );
      return n === 6;
    });
    const digests = t.app.get(DigestService);
    expect(await digests.sendDigests(new Date('2026-11-26T07:00:00Z'))).toBe(2);
    await until(() => t.smtp.mails.filter((m) => m.subject.startsWith('Harbourwatch daily digest')).length === 2);
    const mine = t.smtp.mails.filter((m) => m.to.includes(reader.email.toLowerCase()) || m.to.includes(reader.email));
    expect(mine).toHaveLength(1);
    expect(mine[0].subject).toBe('Harbourwatch daily digest, 2026-11-26: 3 bulletins');
    for (const id of ids) expect(mine[0].text).toContain(id);
    expect(mine[0].text).not.toContain(hidden);
    expect(
      t.smtp.mails.some((m) => m.text.includes('Digest item 0') && !m.subject.startsWith('Harbourwatch daily digest')),
    ).toBe(false);
    expect(await digests.sendDigests(new Date('2026-11-26T07:00:00Z'))).toBe(0);
  });
});
