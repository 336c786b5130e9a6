/**
 * The channel matrix (ARCHITECTURE.md §4): every channel through which a bulletin leaves the server,
 * for every TLP x audience x viewer x member lifecycle state (active, role changed, removed,
 * organisation suspended), must deliver exactly what the sharing oracle allows: no leak, no miss; a
 * person's own data export and the DPO's processing log name no bulletin the person could never see.
 * Viewers hold sessions begun every way there is: a password, a passkey alone, and the police's own
 * identity provider.
 *
 * Timeline: everyone active subscribes (e-mail immediate and digest, graphql-ws, a webhook and a
 * machine client per organisation); bulletins are
 * published and some revised to another marking while the SMTP server refuses every mail, so the
 * deliveries wait in retry; then one viewer per organisation changes role, one is removed and one
 * organisation is suspended; then mail flows, digests go out, and every read channel is asked.
 */
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { MemberRole, OrganisationType } from '../../src/common/organisation-type';
import { DigestService } from '../../src/notifications/digest.service';
import { iso6346CheckDigit } from '../../src/bulletins/indicators';
import { makeOrganisation, makeUser, member, memberWithPasskey, TestUser } from '../helpers/factory';
import { memberThroughProvider, TestOidcProvider } from '../helpers/oidc-provider';
import { bulletinInput, CREATE_BULLETIN, PUBLISH_BULLETIN, uniqueContainerNumber } from '../helpers/bulletins';
import { platformAdmin } from '../helpers/platform-admin';
import { BulletinData, expectedVisible, Org, RuleData, Tlp } from '../helpers/sharing-oracle';
import { GqlResult, startTestApp, TestApp } from '../helpers/test-app';
import { until } from '../helpers/wait';
import { printSummary } from './summary';
import { actingAs, rawAs } from '../helpers/raw-sql';
import { WEBHOOK_TEST_ENV, WebhookReceiver } from '../helpers/webhook-receiver';

type State = 'ACTIVE' | 'ROLE_CHANGED' | 'REMOVED' | 'SUSPENDED';
interface Viewer {
  user: TestUser;
  org: Org;
  state: State;
  events: { kind: string; id: string }[];
}
type Marking = Pick<BulletinData, 'tlp' | 'category' | 'recipientOrgs' | 'recipientUsers'>;
interface Issued {
  id: string;
  versions: BulletinData[];
  container: string;
}

const SHARED_CONTAINER = `MSCU123456${iso6346CheckDigit('MSCU123456')}`;
const RULE: RuleData = {
  owner: null,
  categories: [],
  orgIds: [],
  types: [],
  ports: [],
  maxTlp: 'AMBER',
  validUntil: null,
};

describe('channel matrix: every output channel x TLP x audience x viewer x lifecycle', () => {
  let t: TestApp;
  let author: TestUser;
  let authorOrg: Org;
  const viewers: Viewer[] = [];
  const rules: RuleData[] = [];
  const issued: Issued[] = [];
  const orgs: Record<string, Org & { admin: TestUser }> = {};
  let lifecycleApplied = false;
  const idp = new TestOidcProvider();
  /** One machine client (API key, up to AMBER+STRICT) per viewer organisation. */
  const clients: { key: string; viewer: Viewer }[] = [];
  /** One webhook (up to AMBER+STRICT) per viewer organisation, each at its own path of one receiver. */
  const hooks: { path: string; viewer: Viewer }[] = [];
  const receiver = new WebhookReceiver();
  const cases = new Map<string, number>();
  const failures: string[] = [];

  /** Whether `v` may see `b` now (before the lifecycle changes everyone counts as active). */
  const sees = (v: Viewer, b: BulletinData) =>
    (!lifecycleApplied || v.state === 'ACTIVE' || v.state === 'ROLE_CHANGED') &&
    expectedVisible(v.org, v.user.id, b, rules);
  const current = (b: Issued) => b.versions[b.versions.length - 1];
  const label = (v: Viewer) => `${v.state}@${v.org.type}`;

  /** One channel's answer for one viewer against the oracle's, counted per bulletin. */
  function compare(channel: string, v: Viewer, got: Iterable<string>, expected: Iterable<string>, universe: string[]) {
    const g = new Set(got);
    const e = new Set(expected);
    cases.set(channel, (cases.get(channel) ?? 0) + universe.length);
    for (const key of universe) {
      if (g.has(key) && !e.has(key)) failures.push(`LEAK ${channel} ${label(v)} ${key}`);
      if (!g.has(key) && e.has(key)) failures.push(`MISS ${channel} ${label(v)} ${key}`);
    }
  }

  const ids = () => issued.map((b) => b.id);
  const versionKeys = () => issued.flatMap((b) => b.versions.map((_, i) => `${b.id}/v${i + 1}`));
  const expectedVersions = (v: Viewer) =>
    issued.flatMap((b) =>
      sees(v, current(b)) ? b.versions.flatMap((x, i) => (sees(v, x) ? [`${b.id}/v${i + 1}`] : [])) : [],
    );
  const expectedIds = (v: Viewer) => issued.filter((b) => sees(v, current(b))).map((b) => b.id);

  const inputOf = (m: Marking, container: string, title: string) =>
    bulletinInput({
      title,
      tlp: m.tlp,
      category: m.category,
      recipientOrganisationIds: m.recipientOrgs,
      recipientUserIds: m.recipientUsers,
      indicators: [
        { type: 'CONTAINER_NUMBER', value: container },
        { type: 'CONTAINER_NUMBER', value: SHARED_CONTAINER },
      ],
    });
  const dataOf = (id: string, m: Marking): BulletinData => ({
    id,
    author: authorOrg,
    authorUser: author.id,
    draft: false,
    ...m,
  });

  async function issue(first: Marking): Promise<Issued> {
    const container = uniqueContainerNumber('HWCU');
    const created = await t.gql(
      CREATE_BULLETIN,
      { input: inputOf(first, container, `${first.tlp} ${first.category} v1`) },
      author.token,
    );
    if (!created.data) throw new Error(JSON.stringify(created.errors));
    const id = created.data.createBulletin.id;
    await t.gql(PUBLISH_BULLETIN, { id }, author.token);
    const b = { id, container, versions: [dataOf(id, first)] };
    issued.push(b);
    return b;
  }

  async function revise(b: Issued, then: Marking): Promise<void> {
    const revised = await t.gql(
      `mutation($id: ID!, $input: BulletinInput!) { reviseBulletin(id: $id, input: $input, changeNote: "remarked") { id } }`,
      { id: b.id, input: inputOf(then, b.container, `${then.tlp} ${then.category} v2`) },
      author.token,
    );
    if (!revised.data) throw new Error(JSON.stringify(revised.errors));
    b.versions.push(dataOf(b.id, then));
  }

  /** Events are authorised against the bulletin as it is when they arrive: let them arrive. */
  const eventsSettle = () => new Promise((r) => setTimeout(r, 1500));

  /** graphql-ws events of `kind` against the oracle over the marking each bulletin had when the event was sent. */
  function compareEvents(kind: string, markingOf: (b: Issued) => BulletinData | undefined) {
    const universe = issued.filter((b) => markingOf(b)).map((b) => b.id);
    for (const v of viewers) {
      const expected = issued.filter((b) => markingOf(b) && sees(v, markingOf(b)!)).map((b) => b.id);
      compare(
        `graphql-ws ${kind}`,
        v,
        v.events.filter((e) => e.kind === kind).map((e) => e.id),
        expected,
        universe,
      );
    }
  }

  let authorAdmin: TestUser;

  /** An ANALYST of the organisation, signed in through its approved identity provider. */
  const throughProvider = async (organisationId: string, admin: TestUser): Promise<TestUser> => {
    const saved = await t.gql(
      `mutation($i: IdentityProviderInput!) { saveIdentityProvider(input: $i) { id } }`,
      {
        i: {
          issuer: idp.issuer,
          clientId: 'police',
          clientAuth: 'client_secret_basic',
          clientSecret: 'police-secret',
          domains: ['politie.example'],
        },
      },
      admin.token,
    );
    await t.gql(
      `mutation($id: ID!) { approveIdentityProvider(id: $id) { id } }`,
      { id: saved.data.saveIdentityProvider.id },
      await platformAdmin(t),
    );
    const user = await makeUser(t, organisationId, MemberRole.ANALYST, { email: 'matrix.officer@politie.example' });
    return { ...user, organisationId, ...(await memberThroughProvider(t, idp, user, 'matrix-officer')) };
  };

  beforeAll(async () => {
    await receiver.start();
    t = await startTestApp({
      ...WEBHOOK_TEST_ENV,
      EMAIL_RETRY_LIMIT: '6',
      EMAIL_RETRY_DELAY_SECONDS: '1',
      EMAIL_WORKERS: '2',
      OIDC_ALLOW_HTTP: 'true',
    });
    await idp.listen();
    await idp.configure([
      { client_id: 'police', client_secret: 'police-secret', redirect_uri: `${t.config.publicUrl}/auth/oidc/callback` },
    ]);
    authorOrg = {
      id: await makeOrganisation(t, OrganisationType.TERMINAL_OPERATOR, ['NLRTM']),
      type: OrganisationType.TERMINAL_OPERATOR,
      ports: ['NLRTM'],
    };
    author = await member(t, authorOrg.id, MemberRole.ANALYST);
    authorAdmin = await member(t, authorOrg.id, MemberRole.ORG_ADMIN);

    // Viewer organisations: each type twice (the second is suspended later), in its own port.
    const kinds: [string, OrganisationType, string][] = [
      ['P', OrganisationType.POLICE, 'NLRTM'],
      ['S', OrganisationType.SHIPPING_COMPANY, 'BEANR'],
      ['C', OrganisationType.CUSTOMS, 'DEHAM'],
    ];
    for (const [key, type, port] of kinds) {
      for (const suffix of ['', '2']) {
        const id = await makeOrganisation(t, type, [port]);
        orgs[key + suffix] = { id, type, ports: [port], admin: await member(t, id, MemberRole.ORG_ADMIN) };
      }
      const org = orgs[key];
      // Every way to a session: a password, and a passkey alone (the active and the removed viewer).
      viewers.push({ user: await memberWithPasskey(t, org.id), org, state: 'ACTIVE', events: [] });
      viewers.push({
        // The police sign in through their own identity provider.
        user: key === 'P' ? await throughProvider(org.id, org.admin) : await member(t, org.id, MemberRole.ANALYST),
        org,
        state: 'ROLE_CHANGED',
        events: [],
      });
      viewers.push({ user: await memberWithPasskey(t, org.id), org, state: 'REMOVED', events: [] });
      viewers.push({
        user: await member(t, orgs[key + '2'].id, MemberRole.MEMBER),
        org: orgs[key + '2'],
        state: 'SUSPENDED',
        events: [],
      });
    }
    viewers.push({
      user: await member(t, authorOrg.id, MemberRole.MEMBER),
      org: authorOrg,
      state: 'ACTIVE',
      events: [],
    });

    // An alliance-wide AMBER rule for POLICE only, and the author's AMBER insider-threat rule for BEANR.
    const rule = `mutation($input: SharingRuleInput!) { createSharingRule(input: $input) { id } }`;
    await t.gql(
      rule,
      {
        input: {
          subject: 'BULLETIN',
          maxTlp: 'AMBER',
          allianceWide: true,
          audience: { organisationTypes: ['POLICE'] },
        },
      },
      await platformAdmin(t),
    );
    rules.push({ ...RULE, types: ['POLICE'] });
    await t.gql(
      rule,
      {
        input: { subject: 'BULLETIN', maxTlp: 'AMBER', categories: ['INSIDER_THREAT'], audience: { ports: ['BEANR'] } },
      },
      authorAdmin.token,
    );
    rules.push({ ...RULE, owner: authorOrg.id, categories: ['INSIDER_THREAT'], ports: ['BEANR'] });

    for (const [key, org] of Object.entries(orgs)) {
      const r = await t.gql(
        `mutation($i: MachineClientInput!) { createMachineClient(input: $i) { key client { id } } }`,
        { i: { name: `client of ${key}`, maxTlp: 'AMBER_STRICT' } },
        org.admin.token,
      );
      if (!r.data) throw new Error(JSON.stringify(r.errors));
      const { key: apiKey, client } = r.data.createMachineClient;
      // The client reads as its organisation does, named nowhere (no RED), until the organisation is suspended.
      const state: State = key.endsWith('2') ? 'SUSPENDED' : 'ACTIVE';
      clients.push({ key: apiKey, viewer: { user: { id: client.id } as TestUser, org, state, events: [] } });
      const hook = await t.gql(
        `mutation($i: WebhookInput!) { createWebhook(input: $i) { webhook { id } } }`,
        { i: { name: `webhook of ${key}`, url: receiver.url(`/${key}`), maxTlp: 'AMBER_STRICT' } },
        org.admin.token,
      );
      if (!hook.data) throw new Error(JSON.stringify(hook.errors));
      const viewer = { user: { id: hook.data.createWebhook.webhook.id } as TestUser, org, state, events: [] };
      hooks.push({ path: `/${key}`, viewer });
    }

    for (const v of viewers) {
      for (const mode of ['IMMEDIATE', 'DAILY_DIGEST']) {
        const r = await t.gql(
          `mutation($i: AlertSubscriptionInput!) { createAlertSubscription(input: $i) { id } }`,
          { i: { name: mode, channels: ['EMAIL'], mode } },
          v.user.token,
        );
        if (!r.data) throw new Error(JSON.stringify(r.errors));
      }
      const client = createClient({
        url: t.baseUrl.replace('http', 'ws') + '/graphql',
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        connectionParams: { authorization: `Bearer ${v.user.token}` },
      });
      client.subscribe<{ bulletinPublished: { kind: string; bulletin: { id: string } } }>(
        { query: `subscription { bulletinPublished { kind bulletin { id } } }` },
        {
          next: (r) =>
            r.data && v.events.push({ kind: r.data.bulletinPublished.kind, id: r.data.bulletinPublished.bulletin.id }),
          error: () => undefined,
          complete: () => undefined,
        },
      );
      (v as Viewer & { close?: () => void }).close = () => void client.dispose();
    }
    await new Promise((r) => setTimeout(r, 500));
  }, 120_000);
  afterAll(async () => {
    for (const v of viewers) (v as Viewer & { close?: () => void }).close?.();
    await t.close();
    await receiver.stop();
    await idp.stop();
  });

  /** Every webhook fan-out ran and every delivery settled. */
  const webhooksSettle = () =>
    until(async () => {
      const [{ n }] = await t.dataSource.query(
        `SELECT (SELECT count(*) FROM pgboss.job WHERE name = 'webhook-fanout' AND state < 'completed')
              + (SELECT count(*) FROM webhook_deliveries WHERE status = 'PENDING') AS n`,
      );
      return Number(n) === 0;
    }, 30_000);

  /** Webhook deliveries of `kind` against the oracle over the marking each bulletin had when the event was sent. */
  function compareWebhooks(kind: string, markingOf: (b: Issued) => BulletinData | undefined) {
    const universe = issued.filter((b) => markingOf(b)).map((b) => b.id);
    for (const h of hooks) {
      const got = receiver
        .at(h.path)
        .map((r) => JSON.parse(r.body) as { type: string; data: { bulletinId: string } })
        .filter((p) => p.type === `bulletin.${kind.toLowerCase()}`)
        .map((p) => p.data.bulletinId);
      const expected = issued.filter((b) => markingOf(b) && sees(h.viewer, markingOf(b)!)).map((b) => b.id);
      compare(`webhook ${kind}`, h.viewer, got, expected, universe);
    }
  }

  it('delivers real-time events and webhooks exactly as the oracle says while everyone is active', async () => {
    t.smtp.failNext = 1_000_000; // no mail is accepted until the lifecycle changes are made
    const { P, C, S } = orgs;
    const named = (ids: string[]) => ids;
    const reds = viewers
      .filter((v) => v.org.type !== String(OrganisationType.SHIPPING_COMPANY) && v.state !== 'ACTIVE')
      .map((v) => v.user.id);
    const shipper = viewers.find((v) => v.org === S && v.state === 'ACTIVE')!.user.id;
    const m = (tlp: Tlp, category: string, recipientOrgs: string[] = [], recipientUsers: string[] = []): Marking => ({
      tlp,
      category,
      recipientOrgs,
      recipientUsers,
    });
    await issue(m('CLEAR', 'INSIDER_THREAT'));
    await issue(m('GREEN', 'PIN_FRAUD'));
    await issue(m('AMBER', 'INSIDER_THREAT'));
    await issue(m('AMBER', 'SUSPICIOUS_CARGO'));
    await issue(m('AMBER', 'SUSPICIOUS_CARGO', named([C.id, orgs.C2.id])));
    await issue(m('AMBER_STRICT', 'SUSPICIOUS_CARGO', named([C.id, orgs.C2.id])));
    await issue(m('AMBER_STRICT', 'INSIDER_THREAT'));
    await issue(m('RED', 'INSIDER_THREAT', [], reds));
    // Markings changed by revision, both ways.
    const revisions: [Issued, Marking][] = [
      [await issue(m('AMBER_STRICT', 'INSIDER_THREAT', named([C.id]))), m('GREEN', 'INSIDER_THREAT')],
      [await issue(m('GREEN', 'INSIDER_THREAT')), m('AMBER_STRICT', 'INSIDER_THREAT', named([P.id, orgs.P2.id]))],
      [await issue(m('AMBER', 'SUSPICIOUS_CARGO', named([C.id]))), m('RED', 'SUSPICIOUS_CARGO', [], [shipper])],
    ];
    await eventsSettle();
    compareEvents('PUBLISHED', (b) => b.versions[0]);
    // Webhooks decide at delivery time: let them deliver before the markings change.
    await webhooksSettle();
    compareWebhooks('PUBLISHED', (b) => b.versions[0]);
    for (const [b, then] of revisions) await revise(b, then);
    await eventsSettle();
    compareEvents('REVISED', (b) => b.versions[1]);
    await webhooksSettle();
    compareWebhooks('REVISED', (b) => b.versions[1]);
    expect(failures).toEqual([]);
  });

  it('changes the lifecycle of viewers while their mail waits for retries', async () => {
    // Every fan-out ran (immediate deliveries and digest items exist, their mails refused) before anything changes.
    const waiting = async () =>
      Number(
        (
          await t.dataSource.query(
            `SELECT count(*) AS n FROM pgboss.job WHERE name = 'bulletin-fanout' AND state < 'completed'`,
          )
        )[0].n,
      );
    await until(async () => (await waiting()) === 0, 30_000);
    expect(
      Number(
        (await t.dataSource.query(`SELECT count(*) AS n FROM notification_deliveries WHERE status = 'PENDING'`))[0].n,
      ),
    ).toBeGreaterThan(0);

    const admin = await platformAdmin(t);
    for (const v of viewers) {
      const org = Object.values(orgs).find((o) => o.id === v.org.id);
      const ok = (r: GqlResult) => {
        if (r.errors) throw new Error(JSON.stringify(r.errors));
      };
      if (v.state === 'ROLE_CHANGED')
        ok(
          await t.gql(
            `mutation($u: ID!) { changeMemberRole(userId: $u, role: MEMBER) { userId } }`,
            { u: v.user.id },
            org!.admin.token,
          ),
        );
      if (v.state === 'REMOVED')
        ok(await t.gql(`mutation($u: ID!) { removeMember(userId: $u) }`, { u: v.user.id }, org!.admin.token));
      if (v.state === 'SUSPENDED')
        ok(
          await t.gql(
            `mutation($id: ID!) { suspendOrganisation(id: $id, reason: "test") { id } }`,
            { id: v.org.id },
            admin,
          ),
        );
    }
    lifecycleApplied = true;
    // A batch that claimed its deliveries before the changes committed decided on the old state, and
    // its mails are still being refused: let every such batch end before mail is accepted again.
    await until(
      async () =>
        Number(
          (
            await t.dataSource.query(`SELECT count(*) AS n FROM pgboss.job WHERE name = 'email' AND state = 'active'`)
          )[0].n,
        ) === 0,
      30_000,
    );
    t.smtp.failNext = 0;
  });

  it('sends immediate e-mail (after retries) and digests exactly as the oracle says at delivery time', async () => {
    await until(
      async () =>
        Number(
          (await t.dataSource.query(`SELECT count(*) AS n FROM notification_deliveries WHERE status = 'PENDING'`))[0].n,
        ) === 0,
      60_000,
    );
    await t.app.get(DigestService).sendDigests();
    const mentioned = (v: Viewer, digest: boolean) =>
      t.smtp.mails
        .filter(
          (m) =>
            m.to.includes(v.user.email.toLowerCase()) && m.subject.startsWith('Harbourwatch daily digest') === digest,
        )
        .flatMap((m) => ids().filter((id) => m.text.includes(`/bulletins/${id}`)));
    for (const v of viewers) {
      compare('e-mail immediate+retries', v, mentioned(v, false), expectedIds(v), ids());
      compare('e-mail digest', v, mentioned(v, true), expectedIds(v), ids());
    }
    expect(failures).toEqual([]);
  }, 120_000);

  it('records a sighting on every bulletin (its author sees them all)', async () => {
    for (const b of issued) {
      const r = await t.gql(
        `mutation($i: SightingInput!) { recordSighting(input: $i) { id } }`,
        {
          i: {
            bulletinId: b.id,
            indicatorType: 'CONTAINER_NUMBER',
            value: SHARED_CONTAINER,
            kind: 'SEEN',
            port: 'BEANR',
            seenAt: new Date().toISOString(),
          },
        },
        author.token,
      );
      if (!r.data) throw new Error(JSON.stringify(r.errors));
    }
  });

  it('answers bulletin(id), versions, sightings, related, the list, totalCount, searchIndicators, the alert filter preview and the dashboard exactly as the oracle says', async () => {
    for (const v of viewers) {
      const got: string[] = [];
      const versions: string[] = [];
      const sighted: string[] = [];
      for (const b of issued) {
        const r = await t.gql(
          `query($id: ID!) { bulletin(id: $id) { id versions { version } sightings { id } } }`,
          { id: b.id },
          v.user.token,
        );
        if (r.data?.bulletin?.sightings.length) sighted.push(b.id);
        const code = r.errors?.[0]?.extensions?.code;
        if (code && code !== 'NOT_FOUND' && code !== 'UNAUTHENTICATED')
          failures.push(`bulletin(id) ${label(v)} answered ${code}`);
        if (r.data?.bulletin) {
          got.push(b.id);
          versions.push(...r.data.bulletin.versions.map((x: { version: number }) => `${b.id}/v${x.version}`));
        }
      }
      compare('graphql bulletin(id)', v, got, expectedIds(v), ids());
      compare('graphql versions', v, versions, expectedVersions(v), versionKeys());
      compare('graphql sightings', v, sighted, expectedIds(v), ids());

      // Every issued bulletin holds SHARED_CONTAINER: from any bulletin the viewer reads, "Related" lists
      // exactly the others it may read (no more, and none of the others as an entry, a count or a value).
      const probe = expectedIds(v)[0];
      if (probe) {
        const rel = await t.gql(
          `query($id: ID!) { bulletin(id: $id) { related { bulletin { id } shared { value } } } }`,
          { id: probe },
          v.user.token,
        );
        const related: { bulletin: { id: string }; shared: { value: string }[] }[] = rel.data?.bulletin.related ?? [];
        compare('graphql related', v, [probe, ...related.map((r) => r.bulletin.id)], expectedIds(v), ids());
        for (const r of related.filter((x) => !x.shared.some((s) => s.value === SHARED_CONTAINER)))
          failures.push(`related ${label(v)} ${r.bulletin.id} without the shared value`);
      }

      const list = await t.gql(`{ bulletins(first: 100) { totalCount edges { node { id } } } }`, {}, v.user.token);
      compare(
        'graphql bulletins',
        v,
        list.data?.bulletins.edges.map((e: { node: { id: string } }) => e.node.id) ?? [],
        expectedIds(v),
        ids(),
      );
      const total = list.data?.bulletins.totalCount ?? 0;
      cases.set('graphql totalCount', (cases.get('graphql totalCount') ?? 0) + 1);
      if (total !== expectedIds(v).length) failures.push(`totalCount ${label(v)} ${total} != ${expectedIds(v).length}`);

      const hits = await t.gql(
        `query($v: String!) { searchIndicators(value: $v) { bulletin { id } sightings { id } } }`,
        { v: `mscu 123456-${SHARED_CONTAINER.slice(-1)}` },
        v.user.token,
      );
      compare(
        'graphql searchIndicators',
        v,
        hits.data?.searchIndicators.map((h: { bulletin: { id: string } }) => h.bulletin.id) ?? [],
        expectedIds(v),
        ids(),
      );
      compare(
        'graphql searchIndicators sightings',
        v,
        hits.data?.searchIndicators
          .filter((h: { sightings: unknown[] }) => h.sightings.length)
          .map((h: { bulletin: { id: string } }) => h.bulletin.id) ?? [],
        expectedIds(v),
        ids(),
      );
      const preview = await t.gql(`{ alertFilterPreview(first: 100) { matched recent { id } } }`, {}, v.user.token);
      compare(
        'graphql alertFilterPreview',
        v,
        preview.data?.alertFilterPreview.recent.map((b: { id: string }) => b.id) ?? [],
        expectedIds(v),
        ids(),
      );
      // The dashboard counts exactly what the viewer may read, and its recent sightings (the ten most
      // recent) name nothing else. Two weeks: a run across Monday midnight stays in the period.
      const dashboard = await t.gql(
        `{ dashboard(weeks: 2) { weeks { byCategory { count } } recentSightings { bulletin { id } } } }`,
        {},
        v.user.token,
      );
      const weeks: { byCategory: { count: number }[] }[] = dashboard.data?.dashboard.weeks ?? [];
      const counted = weeks.flatMap((w) => w.byCategory).reduce((n, c) => n + c.count, 0);
      cases.set('graphql dashboard count', (cases.get('graphql dashboard count') ?? 0) + 1);
      if (counted !== expectedIds(v).length)
        failures.push(`dashboard count ${label(v)} ${counted} != ${expectedIds(v).length}`);
      const recent: string[] =
        dashboard.data?.dashboard.recentSightings.map((s: { bulletin: { id: string } }) => s.bulletin.id) ?? [];
      cases.set('graphql dashboard sightings', (cases.get('graphql dashboard sightings') ?? 0) + recent.length);
      for (const id of recent.filter((x) => !expectedIds(v).includes(x)))
        failures.push(`LEAK graphql dashboard sightings ${label(v)} ${id}`);
    }
    expect(failures).toEqual([]);
  }, 120_000);

  it("lists in a sharing rule's preview exactly the author organisation's current AMBER bulletins, to its admin only", async () => {
    const PREVIEW = `query($i: SharingRuleInput!) { sharingRulePreview(input: $i) { bulletins { id } } }`;
    const input = { subject: 'BULLETIN', maxTlp: 'AMBER', audience: { organisationTypes: ['POLICE', 'CUSTOMS'] } };
    const listed = async (token: string) =>
      ((await t.gql(PREVIEW, { i: input }, token)).data?.sharingRulePreview.bulletins ?? []).map(
        (b: { id: string }) => b.id,
      );
    const own = new Set(issued.filter((b) => current(b).tlp === 'AMBER').map((b) => b.id));
    const got = new Set(await listed(authorAdmin.token));
    expect(own.size).toBeGreaterThan(2);
    cases.set('graphql sharingRulePreview', ids().length * (1 + Object.keys(orgs).length));
    for (const id of ids()) {
      if (got.has(id) && !own.has(id)) failures.push(`LEAK graphql sharingRulePreview author admin ${id}`);
      if (!got.has(id) && own.has(id)) failures.push(`MISS graphql sharingRulePreview author admin ${id}`);
    }
    // Another organisation's admin previews its own bulletins: none of these.
    for (const [key, org] of Object.entries(orgs))
      for (const id of await listed(org.admin.token))
        if (ids().includes(id)) failures.push(`LEAK graphql sharingRulePreview admin of ${key} ${id}`);
    expect(failures).toEqual([]);
  });

  it('exports STIX (one bulletin and the changed list, every version by its own marking), the members CAP feed, TAXII and the MISP feed as the oracle says', async () => {
    const get = (path: string, v: Viewer) =>
      fetch(`${t.baseUrl}${path}`, { headers: { authorization: `Bearer ${v.user.token}` } });
    const reportsOf = async (res: Response) => {
      if (res.status !== 200) return [];
      const bundle = (await res.json()) as {
        objects: { type: string; x_harbourwatch_bulletin_id?: string; x_harbourwatch_version?: number }[];
      };
      return bundle.objects
        .filter((o) => o.type === 'report')
        .map((o) => `${o.x_harbourwatch_bulletin_id}/v${o.x_harbourwatch_version}`);
    };
    for (const v of viewers) {
      const one: string[] = [];
      for (const b of issued) one.push(...(await reportsOf(await get(`/stix/bulletins/${b.id}`, v))));
      compare('stix bulletin', v, one, expectedVersions(v), versionKeys());
      compare(
        'stix changed list',
        v,
        await reportsOf(await get('/stix/bulletins', v)),
        expectedVersions(v),
        versionKeys(),
      );

      const feed = await get('/cap/feed.xml', v);
      const xml = feed.status === 200 ? await feed.text() : '';
      const open = (b: Issued) => ['CLEAR', 'GREEN'].includes(current(b).tlp);
      compare(
        'cap feed',
        v,
        ids().filter((id) => xml.includes(`harbourwatch-${id}-`)),
        issued.filter((b) => open(b) && sees(v, current(b))).map((b) => b.id),
        ids(),
      );
      const manifest = await get('/misp/feed/manifest.json', v);
      compare(
        'misp feed manifest',
        v,
        manifest.status === 200 ? Object.keys((await manifest.json()) as object) : [],
        expectedIds(v),
        ids(),
      );
    }
    for (const c of clients) {
      // The MISP feed: its manifest and every event file, each bulletin at its current marking.
      const misp = (path: string) =>
        fetch(`${t.baseUrl}/misp/feed/${path}`, { headers: { authorization: `Bearer ${c.key}` } });
      const manifest = await misp('manifest.json');
      compare(
        'misp feed manifest (machine client)',
        c.viewer,
        manifest.status === 200 ? Object.keys((await manifest.json()) as object) : [],
        expectedIds(c.viewer),
        ids(),
      );
      const events: string[] = [];
      for (const b of issued) if ((await misp(`${b.id}.json`)).status === 200) events.push(b.id);
      compare('misp feed events (machine client)', c.viewer, events, expectedIds(c.viewer), ids());
      const res = await fetch(`${t.baseUrl}/stix/bulletins`, { headers: { authorization: `Bearer ${c.key}` } });
      compare(
        'stix changed list (machine client)',
        c.viewer,
        await reportsOf(res),
        expectedVersions(c.viewer),
        versionKeys(),
      );
      // TAXII 2.1: the collection of everything the client may see.
      const headers = { authorization: `Bearer ${c.key}`, accept: 'application/taxii+json;version=2.1' };
      const listed = await fetch(`${t.baseUrl}/taxii2/api/collections/`, { headers });
      const visible =
        listed.status === 200
          ? ((await listed.json()) as { collections: { id: string; title: string }[] }).collections.find(
              (x) => x.title === 'Bulletins visible to you',
            )
          : undefined;
      const objects = visible
        ? await fetch(`${t.baseUrl}/taxii2/api/collections/${visible.id}/objects/`, { headers })
        : undefined;
      compare(
        'taxii objects (machine client)',
        c.viewer,
        objects ? await reportsOf(objects) : [],
        expectedVersions(c.viewer),
        versionKeys(),
      );
    }
    expect(failures).toEqual([]);
  }, 120_000);

  it('row-level security alone admits each version by its own marking, and sightings by their bulletin (active viewers; the app resolves membership)', async () => {
    for (const v of viewers.filter((w) => w.state === 'ACTIVE' || w.state === 'ROLE_CHANGED')) {
      const rows = await rawAs<{ bulletin_id: string; version: number }>(
        t,
        actingAs(v.user.id, v.org),
        `SELECT bulletin_id, version FROM bulletin_versions WHERE bulletin_id = ANY($1)`,
        [ids()],
      );
      compare(
        'row-level security versions',
        v,
        rows.map((r) => `${r.bulletin_id}/v${r.version}`),
        expectedVersions(v),
        versionKeys(),
      );
      const sightings = await rawAs<{ bulletin_id: string }>(
        t,
        actingAs(v.user.id, v.org),
        `SELECT bulletin_id FROM indicator_sightings WHERE bulletin_id = ANY($1)`,
        [ids()],
      );
      compare(
        'row-level security sightings',
        v,
        sightings.map((r) => r.bulletin_id),
        expectedIds(v),
        ids(),
      );
    }
    expect(failures).toEqual([]);
  });

  it("names in a person's own data export and in their organisation's processing log no bulletin they could never see", async () => {
    // The export and the log are a person's and an organisation's history: they may name a bulletin a
    // viewer has since lost (it was theirs to read then), never one no version of which was theirs.
    const everSeen = (v: Viewer) =>
      issued.filter((b) => b.versions.some((x) => expectedVisible(v.org, v.user.id, x, rules))).map((b) => b.id);
    const named = (value: unknown) => ids().filter((id) => JSON.stringify(value ?? null).includes(id));
    for (const v of viewers) {
      const r = await t.gql(`{ myPersonalData }`, {}, v.user.token);
      const code = r.errors?.[0]?.extensions?.code;
      if (code && code !== 'UNAUTHENTICATED') failures.push(`myPersonalData ${label(v)} answered ${code}`);
      cases.set('graphql myPersonalData', (cases.get('graphql myPersonalData') ?? 0) + issued.length);
      for (const id of named(r.data?.myPersonalData).filter((x) => !everSeen(v).includes(x)))
        failures.push(`LEAK graphql myPersonalData ${label(v)} ${id}`);
    }
    for (const key of ['P', 'S', 'C']) {
      const org = orgs[key];
      const dpo = await member(t, org.id, MemberRole.DPO);
      const seen = new Set(viewers.filter((v) => v.org.id === org.id).flatMap(everSeen));
      const entries: { recipients: string | null }[] = [];
      for (let after: string | null = null, more = true; more;) {
        const page: GqlResult = await t.gql(
          `query($after: String) { processingLog(first: 100, after: $after) {
             edges { node { objectType objectId recipients details } } pageInfo { hasNextPage endCursor } } }`,
          { after },
          dpo.token,
        );
        if (!page.data) {
          failures.push(`processingLog ${org.type} answered ${JSON.stringify(page.errors)}`);
          break;
        }
        entries.push(...page.data.processingLog.edges.map((e: { node: { recipients: string | null } }) => e.node));
        ({ hasNextPage: more, endCursor: after } = page.data.processingLog.pageInfo);
      }
      cases.set('graphql processingLog', (cases.get('graphql processingLog') ?? 0) + issued.length);
      for (const id of named(entries).filter((x) => !seen.has(x)))
        failures.push(`LEAK graphql processingLog ${org.type} ${id}`);
      // Recipients are shown for the organisation's own disclosures only: these published nothing.
      for (const e of entries.filter((x) => x.recipients))
        failures.push(`LEAK graphql processingLog recipients ${org.type} ${e.recipients}`);
    }
    expect(failures).toEqual([]);
  });

  it("names in whoCanSee and the audience preview exactly the viewers' organisations (or RED users) the oracle lets see each bulletin now", async () => {
    type Listed = { organisation: { id: string } | null; user: { id: string } | null }[];
    const keys = (entries: Listed) =>
      new Set<string>(entries.flatMap((a) => [a.organisation?.id, a.user?.id].filter((k): k is string => !!k)));
    for (const b of issued) {
      const r = await t.gql(
        `query($id: ID!) {
          whoCanSee(id: $id) { organisation { id } user { id } }
          audiencePreview(id: $id) { recipients { organisation { id } user { id } } }
        }`,
        { id: b.id },
        author.token,
      );
      const channels: [string, Set<string>][] = [
        ['whoCanSee', keys(r.data.whoCanSee as Listed)],
        ['audiencePreview', keys(r.data.audiencePreview.recipients as Listed)],
      ];
      for (const v of viewers) {
        const key = current(b).tlp === 'RED' ? v.user.id : v.org.id;
        const expected =
          current(b).tlp === 'RED'
            ? sees(v, current(b))
            : viewers.some(
                (w) => w.org.id === v.org.id && w.state !== 'SUSPENDED' && sees({ ...w, state: 'ACTIVE' }, current(b)),
              );
        for (const [channel, listed] of channels) {
          cases.set(channel, (cases.get(channel) ?? 0) + 1);
          if (listed.has(key) !== expected)
            failures.push(`${expected ? 'MISS' : 'LEAK'} ${channel} ${label(v)} ${b.id}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('delivers real-time events after the lifecycle changes exactly as the oracle says', async () => {
    for (const v of viewers) v.events.length = 0;
    for (const b of issued) {
      await t.gql(
        `mutation($id: ID!) { retractBulletin(id: $id, reason: "matrix") { id } }`,
        { id: b.id },
        author.token,
      );
    }
    await eventsSettle();
    compareEvents('RETRACTED', current);
    // A suspended organisation's webhook is told nothing more.
    await webhooksSettle();
    compareWebhooks('RETRACTED', current);
    const total = [...cases.values()].reduce((a, b) => a + b, 0);
    printSummary(
      `channel matrix: ${cases.size} channels x ${viewers.length} viewers x ${issued.length} bulletins, ${total} cases checked, ${failures.filter((f) => f.startsWith('LEAK')).length} leaks, ${failures.filter((f) => !f.startsWith('LEAK')).length} misses or errors`,
    );
    expect(failures).toEqual([]);
  });
});
