import { PgListener } from '../src/database/pg-listener';
import { Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { MemberRole, OrganisationType } from '../src/common/organisation-type';
import { makeOrganisation, member, TestUser } from './helpers/factory';
import { publishBulletin } from './helpers/bulletins';
import { startTestApp, TestApp } from './helpers/test-app';
import { BulletinEventsService } from '../src/bulletins/bulletin-events.service';
import { until } from './helpers/wait';

const SUBSCRIPTION = `subscription($s: ID, $after: ID) { bulletinPublished(subscriptionId: $s, after: $after) { kind cursor bulletin { id title tlp status indicators { value } authorOrganisation { id } } } }`;

interface Received {
  kind: string;
  cursor: string;
  bulletin: {
    id: string;
    title: string;
    status: string;
    indicators: { value: string }[];
    authorOrganisation: { id: string };
  };
}

/** A graphql-ws subscriber on `app`, collecting what it receives. */
function subscribe(app: TestApp, token: string | null, variables: Record<string, unknown> = {}) {
  const received: Received[] = [];
  const errors: unknown[] = [];
  const client: Client = createClient({
    url: app.baseUrl.replace('http', 'ws') + '/graphql',
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
  });
  const ready = new Promise<void>((resolve) => client.on('connected', () => setTimeout(resolve, 300)));
  client.subscribe<{ bulletinPublished: Received }>(
    { query: SUBSCRIPTION, variables },
    {
      next: (r) => (r.data ? received.push(r.data.bulletinPublished) : errors.push(r.errors)),
      error: (e) => errors.push(e),
      complete: () => undefined,
    },
  );
  return { received, errors, ready, close: () => client.dispose() };
}

describe('real-time bulletin events across instances', () => {
  let a: TestApp;
  let b: TestApp;
  let analyst: TestUser;
  let adminAuthor: TestUser;
  let police: TestUser;
  let shipper: TestUser;

  beforeAll(async () => {
    a = await startTestApp();
    b = await startTestApp({}, a);
    const terminal = await makeOrganisation(a, OrganisationType.TERMINAL_OPERATOR, ['NLRTM']);
    analyst = await member(a, terminal, MemberRole.ANALYST);
    adminAuthor = await member(a, terminal, MemberRole.ORG_ADMIN);
    police = await member(a, await makeOrganisation(a, OrganisationType.POLICE, ['NLRTM']), MemberRole.MEMBER);
    shipper = await member(
      a,
      await makeOrganisation(a, OrganisationType.SHIPPING_COMPANY, ['BEANR']),
      MemberRole.MEMBER,
    );
  });
  afterAll(async () => {
    await b.close();
    await a.close();
  });

  it('delivers a bulletin published on instance A to a subscriber connected to instance B, fields and all', async () => {
    const sub = subscribe(b, police.token);
    await sub.ready;
    const id = await publishBulletin(a, analyst.token, { tlp: 'GREEN', title: 'Seen from B' });
    await until(() => sub.received.some((e) => e.bulletin.id === id));
    const event = sub.received.find((e) => e.bulletin.id === id)!;
    expect(event).toMatchObject({
      kind: 'PUBLISHED',
      bulletin: {
        title: 'Seen from B',
        status: 'PUBLISHED',
        indicators: [{ value: 'CSQU3054383' }],
        authorOrganisation: { id: analyst.organisationId },
      },
    });
    await sub.close();
  });

  it('never delivers what the subscriber may not see, and stops the moment a sharing rule is deleted', async () => {
    const policeSub = subscribe(b, police.token);
    const shipperSub = subscribe(b, shipper.token);
    await Promise.all([policeSub.ready, shipperSub.ready]);
    const rule = await a.gql(
      `mutation($i: SharingRuleInput!) { createSharingRule(input: $i) { id } }`,
      { i: { subject: 'BULLETIN', maxTlp: 'AMBER', audience: { organisationTypes: ['POLICE'] } } },
      adminAuthor.token,
    );
    const shared = await publishBulletin(a, analyst.token, { tlp: 'AMBER', title: 'Shared by rule' });
    await until(() => policeSub.received.some((e) => e.bulletin.id === shared));

    await a.gql(
      `mutation($id: ID!) { deleteSharingRule(id: $id) }`,
      { id: rule.data.createSharingRule.id },
      adminAuthor.token,
    );
    const notShared = await publishBulletin(a, analyst.token, { tlp: 'AMBER', title: 'No longer shared' });
    const marker = await publishBulletin(a, analyst.token, { tlp: 'GREEN', title: 'Marker' });
    await until(
      () =>
        policeSub.received.some((e) => e.bulletin.id === marker) &&
        shipperSub.received.some((e) => e.bulletin.id === marker),
    );
    expect(policeSub.received.map((e) => e.bulletin.id)).not.toContain(notShared);
    expect(shipperSub.received.map((e) => e.bulletin.id)).not.toContain(shared);
    expect(shipperSub.received.map((e) => e.bulletin.id)).not.toContain(notShared);
    await Promise.all([policeSub.close(), shipperSub.close()]);
  });

  it('delivers TLP:RED to the named person only, whichever colleague of the same role the event was first read as', async () => {
    const colleague = await member(a, police.organisationId!, MemberRole.MEMBER);
    const subs = [subscribe(b, police.token), subscribe(b, colleague.token)];
    await Promise.all(subs.map((s) => s.ready));
    const forPolice = await publishBulletin(a, analyst.token, { tlp: 'RED', recipientUserIds: [police.id] });
    const forColleague = await publishBulletin(a, analyst.token, { tlp: 'RED', recipientUserIds: [colleague.id] });
    const marker = await publishBulletin(a, analyst.token, { tlp: 'GREEN', title: 'Marker' });
    await until(() => subs.every((s) => s.received.some((e) => e.bulletin.id === marker)));
    const [ofPolice, ofColleague] = subs.map((s) => s.received.map((e) => e.bulletin.id));
    expect(ofPolice).toEqual(expect.arrayContaining([forPolice, marker]));
    expect(ofPolice).not.toContain(forColleague);
    expect(ofColleague).toEqual(expect.arrayContaining([forColleague, marker]));
    expect(ofColleague).not.toContain(forPolice);
    for (const s of subs) await s.close();
  });

  it('tells revisions and retractions, and applies the filter of a REALTIME alert subscription', async () => {
    const created = await a.gql(
      `mutation($i: AlertSubscriptionInput!) { createAlertSubscription(input: $i) { id } }`,
      {
        i: { name: 'Only PIN fraud', channels: ['REALTIME'], mode: 'IMMEDIATE', filter: { categories: ['PIN_FRAUD'] } },
      },
      police.token,
    );
    const filtered = subscribe(b, police.token, { s: created.data.createAlertSubscription.id });
    await filtered.ready;
    const other = await publishBulletin(a, analyst.token, { tlp: 'GREEN', category: 'INSIDER_THREAT' });
    const pin = await publishBulletin(a, analyst.token, { tlp: 'GREEN', category: 'PIN_FRAUD' });
    await a.gql(
      `mutation($id: ID!) { retractBulletin(id: $id, reason: "false alarm") { id } }`,
      { id: pin },
      analyst.token,
    );
    await until(() => filtered.received.some((e) => e.kind === 'RETRACTED'));
    expect(filtered.received.map((e) => [e.kind, e.bulletin.id])).toEqual([
      ['PUBLISHED', pin],
      ['RETRACTED', pin],
    ]);
    expect(filtered.received.map((e) => e.bulletin.id)).not.toContain(other);
    await filtered.close();
  });

  it('delivers events committed while the LISTEN connection was cut, once it is back (a database restart, a failover)', async () => {
    const sub = subscribe(b, police.token);
    await sub.ready;
    const { Client: PgClient } = await import('pg');
    const admin = new PgClient({ connectionString: a.urls.superuser });
    await admin.connect();
    await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'harbourwatch-listen' AND datname = current_database()`,
    );
    await admin.end();
    // Published before either instance has listened again: caught up after the reconnect, not lost.
    const during = await publishBulletin(a, analyst.token, { tlp: 'GREEN', title: 'During the cut' });
    await until(() => sub.received.some((e) => e.bulletin.id === during));
    const id = await publishBulletin(a, analyst.token, { tlp: 'GREEN', title: 'After the cut' });
    await until(() => sub.received.some((e) => e.bulletin.id === id));
    expect(sub.received.filter((e) => e.bulletin.id === during)).toHaveLength(1);
    await sub.close();
  });

  it('resumes a reconnecting client from the cursor of the last event it received, each missed event once', async () => {
    const first = subscribe(b, police.token);
    await first.ready;
    const seen = await publishBulletin(a, analyst.token, { tlp: 'GREEN', title: 'Seen before the disconnect' });
    await until(() => first.received.some((e) => e.bulletin.id === seen));
    const cursor = first.received.find((e) => e.bulletin.id === seen)!.cursor;
    await first.close();
    const missed = [
      await publishBulletin(a, analyst.token, { tlp: 'GREEN', title: 'Missed 1' }),
      await publishBulletin(a, analyst.token, { tlp: 'AMBER_STRICT', title: 'Not for police' }),
      await publishBulletin(a, analyst.token, { tlp: 'GREEN', title: 'Missed 2' }),
    ];
    const again = subscribe(b, police.token, { after: cursor });
    await until(() => again.received.length >= 2);
    const live = await publishBulletin(a, analyst.token, { tlp: 'GREEN', title: 'Live after the resume' });
    await until(() => again.received.some((e) => e.bulletin.id === live));
    expect(again.received.map((e) => e.bulletin.id)).toEqual([missed[0], missed[2], live]);
    expect(again.errors).toEqual([]);
    await again.close();
  });

  it('refuses a connection without a valid token', async () => {
    const anonymous = subscribe(b, null);
    await until(() => anonymous.errors.length > 0);
    // The handshake is refused: graphql-ws closes the socket with 4403 Forbidden.
    expect(anonymous.errors.map((e) => (e as { code?: number }).code)).toContain(4403);
    await anonymous.close();
  });

  it('backs off while the database stays away (1, 2, 4 ... seconds), then listens again', async () => {
    const events = b.app.get(BulletinEventsService);
    const attempts = jest.spyOn((events as unknown as { listener: PgListener }).listener, 'start');
    const dbName = new URL(a.urls.superuser).pathname.slice(1);
    const { Client: PgClient } = await import('pg');
    const admin = new PgClient({ connectionString: process.env.TEST_PG_SUPERUSER_URL });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE ${dbName} WITH ALLOW_CONNECTIONS false`);
      await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'harbourwatch-listen'`,
        [dbName],
      );
      await new Promise((r) => setTimeout(r, 7500));
      // Attempts at about 1, 3 and 7 s; retrying every second would have made seven.
      expect(attempts.mock.calls.length).toBeGreaterThanOrEqual(2);
      expect(attempts.mock.calls.length).toBeLessThanOrEqual(4);
    } finally {
      await admin.query(`ALTER DATABASE ${dbName} WITH ALLOW_CONNECTIONS true`);
      await admin.end();
    }
    const sub = subscribe(b, police.token);
    await sub.ready;
    await until(async () => {
      const id = await publishBulletin(a, analyst.token, { tlp: 'GREEN', title: 'After the outage' });
      await new Promise((r) => setTimeout(r, 300));
      return sub.received.some((e) => e.bulletin.id === id);
    }, 40_000);
    attempts.mockRestore();
    await sub.close();
  }, 60_000);
});
