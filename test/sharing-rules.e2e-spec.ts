import { MemberRole, OrganisationType } from '../src/common/organisation-type';
import { makeOrganisation, member, TestUser } from './helpers/factory';
import { platformAdmin } from './helpers/platform-admin';
import { GET_BULLETIN, publishBulletin } from './helpers/bulletins';
import { codeOf, startTestApp, TestApp } from './helpers/test-app';

const RULE_FIELDS = `id organisationId subject categories maxTlp validUntil audience { organisationIds organisationTypes ports }`;
const CREATE = `mutation($input: SharingRuleInput!) { createSharingRule(input: $input) { ${RULE_FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $input: SharingRuleInput!) { updateSharingRule(id: $id, input: $input) { ${RULE_FIELDS} } }`;
const DELETE = `mutation($id: ID!) { deleteSharingRule(id: $id) }`;
const LIST = `query($first: Int, $after: String) { sharingRules(first: $first, after: $after) { edges { node { id organisationId } } pageInfo { hasNextPage endCursor } } }`;

const rule = (overrides: Record<string, unknown> = {}) => ({
  subject: 'BULLETIN',
  categories: ['INSIDER_THREAT'],
  audience: { organisationTypes: ['POLICE', 'CUSTOMS'], ports: ['NLRTM'] },
  maxTlp: 'AMBER',
  ...overrides,
});

describe('sharing rules', () => {
  let t: TestApp;
  let adminA: TestUser;
  let analystA: TestUser;
  let memberA: TestUser;
  let adminB: TestUser;

  beforeAll(async () => {
    t = await startTestApp();
    const a = await makeOrganisation(t, OrganisationType.TERMINAL_OPERATOR, ['NLRTM']);
    adminA = await member(t, a, MemberRole.ORG_ADMIN);
    analystA = await member(t, a, MemberRole.ANALYST);
    memberA = await member(t, a, MemberRole.MEMBER);
    adminB = await member(
      t,
      await makeOrganisation(t, OrganisationType.TERMINAL_OPERATOR, ['BEANR']),
      MemberRole.ORG_ADMIN,
    );
  });
  afterAll(() => t.close());

  it("lets an org admin create, update and delete the organisation's rules; analysts read them", async () => {
    const created = await t.gql(CREATE, { input: rule() }, adminA.token);
    expect(created.errors).toBeUndefined();
    const r = created.data.createSharingRule;
    expect(r).toMatchObject({
      organisationId: adminA.organisationId,
      maxTlp: 'AMBER',
      audience: { organisationIds: [], organisationTypes: ['POLICE', 'CUSTOMS'], ports: ['NLRTM'] },
    });

    const listed = await t.gql(LIST, {}, analystA.token);
    expect(listed.data.sharingRules.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(r.id);
    expect(codeOf(await t.gql(LIST, {}, memberA.token))).toBe('OK');
    expect((await t.gql(LIST, {}, memberA.token)).data.sharingRules.edges).toEqual([]);

    expect(codeOf(await t.gql(UPDATE, { id: r.id, input: rule({ maxTlp: 'GREEN' }) }, analystA.token))).toBe(
      'FORBIDDEN',
    );
    const updated = await t.gql(UPDATE, { id: r.id, input: rule({ maxTlp: 'GREEN', categories: [] }) }, adminA.token);
    expect(updated.data.updateSharingRule).toMatchObject({ maxTlp: 'GREEN', categories: [] });
    expect((await t.gql(DELETE, { id: r.id }, adminA.token)).data.deleteSharingRule).toBe(true);
    expect(codeOf(await t.gql(DELETE, { id: r.id }, adminA.token))).toBe('NOT_FOUND');
  });

  it('expires a rule at once: it stops admitting and stays listed with its end', async () => {
    const author = await makeOrganisation(t, OrganisationType.TERMINAL_OPERATOR, ['NLRTM']);
    const [admin, analyst] = [
      await member(t, author, MemberRole.ORG_ADMIN),
      await member(t, author, MemberRole.ANALYST),
    ];
    const police = await member(t, await makeOrganisation(t, OrganisationType.POLICE, ['NLRTM']), MemberRole.ANALYST);
    const id = (await t.gql(CREATE, { input: rule({ categories: ['PIN_FRAUD'] }) }, admin.token)).data.createSharingRule
      .id;
    const bulletin = await publishBulletin(t, analyst.token, { tlp: 'AMBER', category: 'PIN_FRAUD' });
    expect(codeOf(await t.gql(GET_BULLETIN, { id: bulletin }, police.token))).toBe('OK');
    const EXPIRE = `mutation($id: ID!) { expireSharingRule(id: $id) { id validUntil } }`;
    expect(codeOf(await t.gql(EXPIRE, { id }, analyst.token))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(EXPIRE, { id }, adminB.token))).toBe('NOT_FOUND');
    const expired = (await t.gql(EXPIRE, { id }, admin.token)).data.expireSharingRule;
    expect(Date.parse(expired.validUntil)).toBeLessThanOrEqual(Date.now());
    expect(codeOf(await t.gql(GET_BULLETIN, { id: bulletin }, police.token))).toBe('NOT_FOUND');
    const listed = (await t.gql(LIST, {}, admin.token)).data.sharingRules.edges.map(
      (e: { node: { id: string } }) => e.node.id,
    );
    expect(listed).toContain(id);
  });

  it("answers NOT_FOUND for another organisation's rule", async () => {
    const { data } = await t.gql(CREATE, { input: rule() }, adminB.token);
    const id = data.createSharingRule.id;
    expect(codeOf(await t.gql(UPDATE, { id, input: rule() }, adminA.token))).toBe('NOT_FOUND');
    expect(codeOf(await t.gql(DELETE, { id }, adminA.token))).toBe('NOT_FOUND');
    const listed = await t.gql(LIST, { first: 100 }, adminA.token);
    expect(listed.data.sharingRules.edges.map((e: { node: { id: string } }) => e.node.id)).not.toContain(id);
  });

  it.each([
    [{ maxTlp: 'RED' }, 'maxTlp'],
    [{ maxTlp: 'AMBER_STRICT' }, 'maxTlp'],
    [{ categories: ['SMUGGLING'] }, 'categories'],
    [{ audience: {} }, 'audience'],
    [{ audience: { organisationIds: ['0b6e4f4e-8f7a-4a52-9d0e-0e4f4e8f7a4a'] } }, 'audience.organisationIds'],
    [{ validUntil: '2020-01-01T00:00:00Z' }, 'validUntil'],
  ])('refuses %j (BAD_USER_INPUT on %s)', async (overrides, field) => {
    const r = await t.gql(CREATE, { input: rule(overrides) }, adminA.token);
    expect(codeOf(r)).toBe('BAD_USER_INPUT');
    expect(r.errors![0].extensions!.field).toBe(field);
  });

  it('keeps alliance-wide defaults to platform admins, and shows them to org admins and analysts', async () => {
    expect(codeOf(await t.gql(CREATE, { input: rule({ allianceWide: true }) }, adminA.token))).toBe('FORBIDDEN');
    const admin = await platformAdmin(t);
    const created = await t.gql(CREATE, { input: rule({ allianceWide: true }) }, admin);
    expect(created.data.createSharingRule.organisationId).toBeNull();
    const listed = await t.gql(LIST, { first: 100 }, analystA.token);
    expect(listed.data.sharingRules.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(
      created.data.createSharingRule.id,
    );
    expect(codeOf(await t.gql(DELETE, { id: created.data.createSharingRule.id }, adminA.token))).toBe('FORBIDDEN');
  });

  it('pages through rules', async () => {
    for (let i = 0; i < 3; i++) await t.gql(CREATE, { input: rule() }, adminA.token);
    const all = (await t.gql(LIST, { first: 100 }, adminA.token)).data.sharingRules.edges.map(
      (e: { node: { id: string } }) => e.node.id,
    );
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: any = await t.gql(LIST, { first: 2, after }, adminA.token);
      seen.push(...page.data.sharingRules.edges.map((e: { node: { id: string } }) => e.node.id));
      after = page.data.sharingRules.pageInfo.hasNextPage ? page.data.sharingRules.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual(all);
  });

  it('stops admitting on every instance within a second of a rule being deleted on one (cached rules)', async () => {
    const second = await startTestApp({}, t);
    try {
      // An author of its own and a category no earlier test's rule shares, so only this rule admits the reader.
      const author = await makeOrganisation(t, OrganisationType.TERMINAL_OPERATOR, ['NLRTM']);
      const [admin, analyst] = [
        await member(t, author, MemberRole.ORG_ADMIN),
        await member(t, author, MemberRole.ANALYST),
      ];
      const police = await member(t, await makeOrganisation(t, OrganisationType.POLICE, ['NLRTM']), MemberRole.ANALYST);
      const created = await t.gql(CREATE, { input: rule({ categories: ['CYBER_INTRUSION'] }) }, admin.token);
      const id = await publishBulletin(t, analyst.token, { tlp: 'AMBER', category: 'CYBER_INTRUSION' });
      const read = async (app: TestApp) => codeOf(await app.gql(GET_BULLETIN, { id }, police.token));
      // Both instances now hold the police organisation's admitting rules in memory.
      expect([await read(t), await read(second)]).toEqual(['OK', 'OK']);
      expect((await t.gql(DELETE, { id: created.data.createSharingRule.id }, admin.token)).data.deleteSharingRule).toBe(
        true,
      );
      const deleted = Date.now();
      let answer = await read(second);
      while (answer === 'OK' && Date.now() - deleted < 1000) answer = await read(second);
      expect(answer).toBe('NOT_FOUND');
      expect(await read(t)).toBe('NOT_FOUND');
    } finally {
      await second.close();
    }
  });
});
