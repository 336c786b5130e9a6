import { MemberRole, OrganisationType } from '../src/common/organisation-type';
import { LOGIN, makeOrganisation, member, PASSWORD, TestUser } from './helpers/factory';
import { platformAdmin } from './helpers/platform-admin';
import { codeOf, startTestApp, TestApp } from './helpers/test-app';

const CREATE = `mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id name type sector ports status } }`;
const DIRECTORY = `query($first: Int, $after: String, $filter: OrganisationFilter) {
  organisations(first: $first, after: $after, filter: $filter) { edges { node { id name type ports } cursor } pageInfo { hasNextPage endCursor } }
}`;

describe('organisations', () => {
  let t: TestApp;
  let adminToken: string;
  let police: string;
  let shipper: TestUser;

  beforeAll(async () => {
    t = await startTestApp();
    adminToken = await platformAdmin(t);
    police = await makeOrganisation(t, OrganisationType.POLICE, ['NLRTM'], 'Directory Police');
    shipper = await member(
      t,
      await makeOrganisation(t, OrganisationType.SHIPPING_COMPANY, ['BEANR', 'NLRTM'], 'Directory Shipper'),
    );
  });
  afterAll(() => t.close());

  it('lets a platform admin onboard an organisation, deriving the sector from the type', async () => {
    const r = await t.gql(
      CREATE,
      { input: { name: 'Hamburg Customs', type: 'CUSTOMS', ports: ['DEHAM', 'DEHAM'] } },
      adminToken,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data.createOrganisation).toMatchObject({
      type: 'CUSTOMS',
      sector: 'PUBLIC',
      ports: ['DEHAM'],
      status: 'ACTIVE',
    });
  });

  it.each([
    [{ name: 'X Port', type: 'OTHER', ports: ['rotterdam'] }, 'BAD_USER_INPUT'],
    [{ name: 'X Port', type: 'OTHER', ports: [] }, 'BAD_USER_INPUT'],
    [{ name: 'X', type: 'OTHER', ports: ['NLRTM'] }, 'BAD_USER_INPUT'],
    [{ name: 'X Port', type: 'PIRATES', ports: ['NLRTM'] }, 'BAD_USER_INPUT'],
    [{ name: 'directory police', type: 'POLICE', ports: ['NLRTM'] }, 'CONFLICT'],
  ])('refuses %j with %s and writes nothing', async (input, code) => {
    const [{ n: before }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM organisations`);
    expect(codeOf(await t.gql(CREATE, { input }, adminToken))).toBe(code);
    const [{ n: after }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM organisations`);
    expect(after).toBe(before);
  });

  it('names the invalid field', async () => {
    const r = await t.gql(CREATE, { input: { name: 'Y Port', type: 'OTHER', ports: ['nl rtm'] } }, adminToken);
    expect(r.errors![0].message).toMatch(/UN\/LOCODE/);
    expect(r.errors![0].extensions!.field).toBe('input.ports');
  });

  it('refuses onboarding to organisation members', async () => {
    expect(
      codeOf(await t.gql(CREATE, { input: { name: 'Sneaky Org', type: 'OTHER', ports: ['NLRTM'] } }, shipper.token)),
    ).toBe('FORBIDDEN');
  });

  it('shows every member the directory, filtered by type and port, in pages', async () => {
    const all = await t.gql(DIRECTORY, { first: 100 }, shipper.token);
    const names = all.data.organisations.edges.map((e: { node: { name: string } }) => e.node.name);
    expect(names).toEqual(expect.arrayContaining(['Directory Police', 'Directory Shipper', 'Hamburg Customs']));
    const byType = await t.gql(DIRECTORY, { filter: { type: 'POLICE' } }, shipper.token);
    expect(byType.data.organisations.edges.every((e: { node: { type: string } }) => e.node.type === 'POLICE')).toBe(
      true,
    );
    const byPort = await t.gql(DIRECTORY, { filter: { port: 'DEHAM' } }, shipper.token);
    expect(byPort.data.organisations.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual([
      'Hamburg Customs',
    ]);

    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: any = await t.gql(DIRECTORY, { first: 1, after }, shipper.token);
      seen.push(...page.data.organisations.edges.map((e: { node: { id: string } }) => e.node.id));
      after = page.data.organisations.pageInfo.hasNextPage ? page.data.organisations.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual(all.data.organisations.edges.map((e: { node: { id: string } }) => e.node.id));
    expect(codeOf(await t.gql(DIRECTORY, { after: 'bogus' }, shipper.token))).toBe('BAD_USER_INPUT');
  });

  it("lets an organisation's admins keep its ports and contact point, which other members read", async () => {
    const org = await makeOrganisation(t, OrganisationType.PORT_AUTHORITY, ['NLRTM'], 'Profile Port Authority');
    const [admin, analyst] = [await member(t, org, MemberRole.ORG_ADMIN), await member(t, org, MemberRole.ANALYST)];
    const UPDATE = `mutation($input: OrganisationProfileInput!) { updateOrganisationProfile(input: $input) { id ports contactName contactEmail contactPhone } }`;
    const profile = {
      ports: ['NLRTM', 'NLVLI', 'NLRTM'],
      contactName: 'Duty officer, port security',
      contactEmail: 'security@port.example',
      contactPhone: '+31 10 252 1010',
    };
    expect(codeOf(await t.gql(UPDATE, { input: profile }, analyst.token))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(UPDATE, { input: profile }, adminToken))).toBe('FORBIDDEN');
    for (const [bad, field] of [
      [{ ports: ['Rotterdam'] }, 'input.ports'],
      [{ ports: [] }, 'input.ports'],
      [{ contactEmail: 'not an address' }, 'input.contactEmail'],
      [{ contactPhone: '010 252 1010' }, 'input.contactPhone'],
    ] as const) {
      const r = await t.gql(UPDATE, { input: { ...profile, ...bad } }, admin.token);
      expect([codeOf(r), r.errors?.[0].extensions?.field]).toEqual(['BAD_USER_INPUT', field]);
    }
    const updated = (await t.gql(UPDATE, { input: profile }, admin.token)).data.updateOrganisationProfile;
    expect(updated).toEqual({ id: org, ...profile, ports: ['NLRTM', 'NLVLI'] });
    const read = await t.gql(
      `query($id: ID!) { organisation(id: $id) { contactName contactEmail contactPhone } }`,
      { id: org },
      shipper.token,
    );
    expect(read.data.organisation).toEqual({
      contactName: 'Duty officer, port security',
      contactEmail: 'security@port.example',
      contactPhone: '+31 10 252 1010',
    });
  });

  it('answers NOT_FOUND for an unknown organisation id', async () => {
    const r = await t.gql(
      `query($id: ID!) { organisation(id: $id) { id } }`,
      { id: '3f1f8f2e-0000-4000-8000-000000000000' },
      shipper.token,
    );
    expect(codeOf(r)).toBe('NOT_FOUND');
  });

  it('suspends an organisation: its members are out on the next request, its data stays, reinstating lets them back', async () => {
    const orgId = await makeOrganisation(t, OrganisationType.TERMINAL_OPERATOR, ['NLRTM'], 'Suspended Terminal');
    const m = await member(t, orgId, MemberRole.ORG_ADMIN);
    const suspend = `mutation($id: ID!) { suspendOrganisation(id: $id, reason: "Under investigation") { status } }`;
    expect((await t.gql(suspend, { id: orgId }, adminToken)).data.suspendOrganisation.status).toBe('SUSPENDED');

    expect(codeOf(await t.gql(`{ me { role } }`, {}, m.token))).toBe('UNAUTHENTICATED');
    expect(codeOf(await t.gql(LOGIN, { email: m.email, password: PASSWORD }))).toBe('UNAUTHENTICATED');
    const hidden = await t.gql(DIRECTORY, { first: 100 }, shipper.token);
    expect(hidden.data.organisations.edges.map((e: { node: { id: string } }) => e.node.id)).not.toContain(orgId);
    expect(codeOf(await t.gql(`query($id: ID!) { organisation(id: $id) { id } }`, { id: orgId }, shipper.token))).toBe(
      'NOT_FOUND',
    );
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM memberships WHERE organisation_id = $1`, [
      orgId,
    ]);
    expect(n).toBe(1);
    expect(codeOf(await t.gql(suspend, { id: orgId }, adminToken))).toBe('CONFLICT');

    const reinstate = await t.gql(
      `mutation($id: ID!) { reinstateOrganisation(id: $id) { status } }`,
      { id: orgId },
      adminToken,
    );
    expect(reinstate.data.reinstateOrganisation.status).toBe('ACTIVE');
    expect(codeOf(await t.gql(LOGIN, { email: m.email, password: PASSWORD }))).toBe('OK');
  });

  it('keeps suspension to platform admins (members get NOT_FOUND)', async () => {
    const r = await t.gql(
      `mutation($id: ID!) { suspendOrganisation(id: $id, reason: "because") { id } }`,
      { id: police },
      shipper.token,
    );
    expect(codeOf(r)).toBe('NOT_FOUND');
  });
});
