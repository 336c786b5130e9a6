import { Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { MemberRole, OrganisationType } from '../src/organisations/organisation-type';
import { makeOrganisation, member, TestUser } from './helpers/factory';
import { publishBulletin } from './helpers/bulletins';
import { startTestApp, TestApp } from './helpers/test-app';
import { until } from './helpers/wait';

const SUBSCRIPTION = `subscription($s: ID) { bulletinPublished(subscriptionId: $s) { kind bulletin { id title tlp status indicators { value } authorOrganisation { id } } } }`;

interface Received {
  kind: string;
  bulletin: { id: string; title: string; status: string; indicators: { value: string }[]; authorOrganisation: { id: string } };
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
  client.subscribe<{ bulletinPublished: Received }>({ query: SUBSCRIPTION, variables }, {
    next: (r) => (r.data ? received.push(r.data.bulletinPublished) : errors.push(r.errors)),
    error: (e) => errors.push(e),
    complete: () => undefined,
  });
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
    shipper = await member(a, await makeOrganisation(a, OrganisationType.SHIPPING_COMPANY, ['BEANR']), MemberRole.MEMBER);
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
    expect(event).toMatchObject({ kind: 'PUBLISHED', bulletin: { title: 'Seen from B', status: 'PUBLISHED', indicators: [{ value: 'CSQU3054383' }], authorOrganisation: { id: analyst.organisationId } } });
    await sub.close();
  });

  it('never delivers what the subscriber may not see, and stops the moment a sharing rule is deleted', async () => {
    const policeSub = subscribe(b, police.token);
    const shipperSub = subscribe(b, shipper.token);
    await Promise.all([policeSub.ready, shipperSub.ready]);
    const rule = await a.gql(`mutation($i: SharingRuleInput!) { createSharingRule(input: $i) { id } }`,
      { i: { subject: 'BULLETIN', maxTlp: 'AMBER', audience: { organisationTypes: ['POLICE'] } } }, adminAuthor.token);
    const shared = await publishBulletin(a, analyst.token, { tlp: 'AMBER', title: 'Shared by rule' });
    await until(() => policeSub.received.some((e) => e.bulletin.id === shared));

    await a.gql(`mutation($id: ID!) { deleteSharingRule(id: $id) }`, { id: rule.data.createSharingRule.id }, adminAuthor.token);
    const notShared = await publishBulletin(a, analyst.token, { tlp: 'AMBER', title: 'No longer shared' });
    const marker = await publishBulletin(a, analyst.token, { tlp: 'GREEN', title: 'Marker' });
    await until(() => policeSub.received.some((e) => e.bulletin.id === marker) && shipperSub.received.some((e) => e.bulletin.id === marker));
    expect(policeSub.received.map((e) => e.bulletin.id)).not.toContain(notShared);
    expect(shipperSub.received.map((e) => e.bulletin.id)).not.toContain(shared);
    expect(shipperSub.received.map((e) => e.bulletin.id)).not.toContain(notShared);
    await Promise.all([policeSub.close(), shipperSub.close()]);
  });

  it('tells revisions and retractions, and applies the filter of a REALTIME alert subscription', async () => {
    const created = await a.gql(`mutation($i: AlertSubscriptionInput!) { createAlertSubscription(input: $i) { id } }`,
      { i: { name: 'Only PIN fraud', channels: ['REALTIME'], mode: 'IMMEDIATE', filter: { categories: ['PIN_FRAUD'] } } }, police.token);
    const filtered = subscribe(b, police.token, { s: created.data.createAlertSubscription.id });
    await filtered.ready;
    const other = await publishBulletin(a, analyst.token, { tlp: 'GREEN', category: 'INSIDER_THREAT' });
    const pin = await publishBulletin(a, analyst.token, { tlp: 'GREEN', category: 'PIN_FRAUD' });
    await a.gql(`mutation($id: ID!) { retractBulletin(id: $id, reason: "false alarm") { id } }`, { id: pin }, analyst.token);
    await until(() => filtered.received.some((e) => e.kind === 'RETRACTED'));
    expect(filtered.received.map((e) => [e.kind, e.bulletin.id])).toEqual([['PUBLISHED', pin], ['RETRACTED', pin]]);
    expect(filtered.received.map((e) => e.bulletin.id)).not.toContain(other);
    await filtered.close();
  });

  it('keeps delivering after the LISTEN connection was cut (a database restart, a failover)', async () => {
    const sub = subscribe(b, police.token);
    await sub.ready;
    const { Client: PgClient } = await import('pg');
    const admin = new PgClient({ connectionString: a.urls.superuser });
    await admin.connect();
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'harbourwatch-listen' AND datname = current_database()`);
    await admin.end();
    await new Promise((r) => setTimeout(r, 1500));
    const id = await publishBulletin(a, analyst.token, { tlp: 'GREEN', title: 'After the cut' });
    await until(() => sub.received.some((e) => e.bulletin.id === id));
    await sub.close();
  });

  it('refuses a connection without a valid token', async () => {
    const anonymous = subscribe(b, null);
    await until(() => anonymous.errors.length > 0);
    // The handshake is refused: graphql-ws closes the socket with 4403 Forbidden.
    expect(anonymous.errors.map((e) => (e as { code?: number }).code)).toContain(4403);
    await anonymous.close();
  });
});
