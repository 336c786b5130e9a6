import { MemberRole, OrganisationType } from '../src/common/organisation-type';
import { makeOrganisation, member, TestUser } from './helpers/factory';
import { codeOf, startTestApp, TestApp } from './helpers/test-app';

const FIELDS = `id userId name channels mode filter { categories minSeverity ports organisationTypes authorOrganisationIds }`;
const CREATE = `mutation($input: AlertSubscriptionInput!) { createAlertSubscription(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: AlertSubscriptionInput!) { updateAlertSubscription(id: $id, input: $input) { ${FIELDS} } }`;
const DELETE = `mutation($id: ID!) { deleteAlertSubscription(id: $id) }`;
const LIST = `query($userId: ID, $first: Int, $after: String) { alertSubscriptions(userId: $userId, first: $first, after: $after) { edges { node { id userId } } pageInfo { hasNextPage endCursor } } }`;

const input = (overrides: Record<string, unknown> = {}) => ({
  name: 'PIN fraud in Rotterdam',
  filter: { categories: ['PIN_FRAUD', 'CONTAINER_CLONING'], minSeverity: 'MODERATE', ports: ['NLRTM'] },
  channels: ['EMAIL', 'REALTIME'],
  mode: 'IMMEDIATE',
  ...overrides,
});
const ids = (r: any) => r.data.alertSubscriptions.edges.map((e: { node: { id: string } }) => e.node.id);

describe('alert subscriptions', () => {
  let t: TestApp;
  let officer: TestUser;
  let colleague: TestUser;
  let admin: TestUser;
  let otherAdmin: TestUser;

  beforeAll(async () => {
    t = await startTestApp();
    const police = await makeOrganisation(t, OrganisationType.POLICE);
    officer = await member(t, police, MemberRole.MEMBER);
    colleague = await member(t, police, MemberRole.ANALYST);
    admin = await member(t, police, MemberRole.ORG_ADMIN);
    otherAdmin = await member(t, await makeOrganisation(t, OrganisationType.CUSTOMS), MemberRole.ORG_ADMIN);
  });
  afterAll(() => t.close());

  it('lets a user create, list, update and delete their own subscriptions', async () => {
    const created = await t.gql(CREATE, { input: input() }, officer.token);
    expect(created.errors).toBeUndefined();
    const sub = created.data.createAlertSubscription;
    expect(sub).toMatchObject({
      userId: officer.id,
      channels: ['EMAIL', 'REALTIME'],
      mode: 'IMMEDIATE',
      filter: {
        categories: ['PIN_FRAUD', 'CONTAINER_CLONING'],
        minSeverity: 'MODERATE',
        ports: ['NLRTM'],
        organisationTypes: [],
        authorOrganisationIds: [],
      },
    });
    expect(ids(await t.gql(LIST, {}, officer.token))).toEqual([sub.id]);

    const updated = await t.gql(
      UPDATE,
      { id: sub.id, input: input({ mode: 'DAILY_DIGEST', filter: undefined, channels: ['EMAIL'] }) },
      officer.token,
    );
    expect(updated.data.updateAlertSubscription).toMatchObject({
      mode: 'DAILY_DIGEST',
      channels: ['EMAIL'],
      filter: { categories: [], minSeverity: null },
    });
    expect((await t.gql(DELETE, { id: sub.id }, officer.token)).data.deleteAlertSubscription).toBe(true);
    expect(ids(await t.gql(LIST, {}, officer.token))).toEqual([]);
  });

  it("answers NOT_FOUND for someone else's subscription, even to their organisation admin", async () => {
    const sub = (await t.gql(CREATE, { input: input() }, officer.token)).data.createAlertSubscription;
    for (const who of [colleague, admin, otherAdmin]) {
      expect(codeOf(await t.gql(UPDATE, { id: sub.id, input: input() }, who.token))).toBe('NOT_FOUND');
      expect(codeOf(await t.gql(DELETE, { id: sub.id }, who.token))).toBe('NOT_FOUND');
    }
  });

  it("lets organisation admins list their members' subscriptions, and nobody else", async () => {
    const sub = (await t.gql(CREATE, { input: input({ name: 'Listed' }) }, officer.token)).data.createAlertSubscription;
    expect(ids(await t.gql(LIST, { userId: officer.id, first: 100 }, admin.token))).toContain(sub.id);
    expect(codeOf(await t.gql(LIST, { userId: officer.id, first: 100 }, colleague.token))).toBe('NOT_FOUND');
    expect(codeOf(await t.gql(LIST, { userId: officer.id, first: 100 }, otherAdmin.token))).toBe('NOT_FOUND');
  });

  it.each([
    [{ channels: [] }],
    [{ mode: 'HOURLY' }],
    [{ name: '' }],
    [{ filter: { ports: ['Rotterdam'] } }],
    [{ filter: { authorOrganisationIds: ['not-a-uuid'] } }],
  ])('refuses %j with BAD_USER_INPUT', async (overrides) => {
    expect(codeOf(await t.gql(CREATE, { input: input(overrides) }, officer.token))).toBe('BAD_USER_INPUT');
  });

  it('pages through subscriptions', async () => {
    for (let i = 0; i < 3; i++) await t.gql(CREATE, { input: input({ name: `Page ${i}` }) }, colleague.token);
    const first = await t.gql(LIST, { first: 2 }, colleague.token);
    expect(first.data.alertSubscriptions.pageInfo.hasNextPage).toBe(true);
    const rest = await t.gql(
      LIST,
      { first: 2, after: first.data.alertSubscriptions.pageInfo.endCursor },
      colleague.token,
    );
    expect([...ids(first), ...ids(rest)]).toHaveLength(3);
  });
});

describe('alert subscriptions per organisation', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ ALERT_SUBSCRIPTIONS_PER_ORGANISATION: '2' });
  });
  afterAll(() => t.close());

  it("keeps each organisation to its share, across its members, and another organisation's are its own", async () => {
    const police = await makeOrganisation(t, OrganisationType.POLICE, ['NLRTM']);
    const [a, b] = await Promise.all([member(t, police), member(t, police)]);
    const other = await member(t, await makeOrganisation(t, OrganisationType.CUSTOMS, ['NLRTM']));
    const first = await t.gql(CREATE, { input: input() }, a.token);
    expect(codeOf(await t.gql(CREATE, { input: input() }, b.token))).toBe('OK');
    const third = await t.gql(CREATE, { input: input() }, a.token);
    expect(codeOf(third)).toBe('CONFLICT');
    expect(third.errors![0].message).toBe(
      'Your organisation has 2 alert subscriptions, the most it may keep: remove one first',
    );
    expect(codeOf(await t.gql(CREATE, { input: input() }, other.token))).toBe('OK');
    await t.gql(DELETE, { id: first.data.createAlertSubscription.id }, a.token);
    expect(codeOf(await t.gql(CREATE, { input: input() }, b.token))).toBe('OK');
  });
});
