/**
 * The authorization matrix: every TLP x audience relation x viewer organisation type x role, with the
 * expected visibility computed by the sharing oracle (helpers/sharing-oracle.ts, written from the TLP
 * table of ARCHITECTURE.md §2, not from the application's code). bulletin(id), bulletins, its totalCount, searchIndicators and
 * whoCanSee must all agree with it: no leak, no miss.
 */
import { printSummary } from './security/summary';
import { actingAs, rawAs } from './helpers/raw-sql';
import { MemberRole, OrganisationType } from '../src/organisations/organisation-type';
import { makeOrganisation, member, TestUser } from './helpers/factory';
import { bulletinInput, CREATE_BULLETIN, PUBLISH_BULLETIN, uniqueContainerNumber } from './helpers/bulletins';
import { platformAdmin } from './helpers/platform-admin';
import { codeOf, startTestApp, TestApp } from './helpers/test-app';
import { BulletinData, expectedVisible, Org, RuleData, Tlp, TLPS } from './helpers/sharing-oracle';

const CATEGORIES = ['INSIDER_THREAT', 'SUSPICIOUS_CARGO'];
const RELATIONS = [
  'NAMED_ORG',
  'NAMED_USER',
  'RULE_BY_ID',
  'RULE_BY_TYPE',
  'RULE_BY_PORT',
  'RULE_OTHER_CATEGORY',
  'RULE_EXPIRED',
  'RULE_MAX_GREEN',
  'NONE',
] as const;
const VIEWER_TYPES = [
  OrganisationType.POLICE,
  OrganisationType.CUSTOMS,
  OrganisationType.SHIPPING_COMPANY,
  OrganisationType.EU_AGENCY,
];
const ROLES = [MemberRole.ORG_ADMIN, MemberRole.ANALYST, MemberRole.MEMBER];
const SHARED_CONTAINER = 'CSQU3054383';

/** `scenario`: the author organisation of the scenario the viewer was made for. */
interface Viewer {
  user: TestUser;
  org: Org;
  role: MemberRole;
  scenario: string;
}

describe('authorization matrix', () => {
  let t: TestApp;
  const viewers: Viewer[] = [];
  const rules: RuleData[] = [];
  const bulletins: BulletinData[] = [];
  const authorAnalysts = new Map<string, TestUser>();
  let bystander: TestUser;
  let portSeq = 0;
  const uniquePort = () =>
    `XZ${String.fromCharCode(65 + Math.floor(portSeq / 26))}${String.fromCharCode(65 + (portSeq++ % 26))}A`;

  async function createRule(admin: TestUser, data: Omit<RuleData, 'owner' | 'validUntil'>, expire = false) {
    const r = await t.gql(
      `mutation($input: SharingRuleInput!) { createSharingRule(input: $input) { id } }`,
      {
        input: {
          subject: 'BULLETIN',
          categories: data.categories,
          maxTlp: data.maxTlp,
          audience: { organisationIds: data.orgIds, organisationTypes: data.types, ports: data.ports },
        },
      },
      admin.token,
    );
    if (!r.data) throw new Error(JSON.stringify(r.errors));
    let validUntil: Date | null = null;
    if (expire) {
      validUntil = new Date(Date.now() - 60_000);
      await t.dataSource.query(`UPDATE sharing_rules SET valid_until = $2 WHERE id = $1`, [
        r.data.createSharingRule.id,
        validUntil,
      ]);
    }
    rules.push({ owner: admin.organisationId, ...data, validUntil });
  }

  beforeAll(async () => {
    t = await startTestApp();
    const bystanderOrg = await makeOrganisation(t, OrganisationType.OTHER, ['DEHAM']);
    bystander = await member(t, bystanderOrg, MemberRole.ANALYST);

    // An alliance-wide default: EU agencies get AMBER suspicious-cargo bulletins from everyone.
    const admin = await platformAdmin(t);
    await t.gql(
      `mutation($input: SharingRuleInput!) { createSharingRule(input: $input) { id } }`,
      {
        input: {
          subject: 'BULLETIN',
          categories: ['SUSPICIOUS_CARGO'],
          maxTlp: 'AMBER',
          allianceWide: true,
          audience: { organisationTypes: ['EU_AGENCY'] },
        },
      },
      admin,
    );
    rules.push({
      owner: null,
      categories: ['SUSPICIOUS_CARGO'],
      orgIds: [],
      types: ['EU_AGENCY'],
      ports: [],
      maxTlp: 'AMBER',
      validUntil: null,
    });

    for (const relation of RELATIONS) {
      for (const viewerType of VIEWER_TYPES) {
        const author: Org = { id: '', type: OrganisationType.TERMINAL_OPERATOR, ports: ['NLRTM'] };
        author.id = await makeOrganisation(t, OrganisationType.TERMINAL_OPERATOR, author.ports);
        const authorAdmin = await member(t, author.id, MemberRole.ORG_ADMIN);
        const analyst = await member(t, author.id, MemberRole.ANALYST);
        authorAnalysts.set(author.id, analyst);
        const viewerOrg: Org = { id: '', type: viewerType, ports: [uniquePort()] };
        viewerOrg.id = await makeOrganisation(t, viewerType, viewerOrg.ports);
        const orgViewers: Viewer[] = [];
        for (const role of ROLES)
          orgViewers.push({ user: await member(t, viewerOrg.id, role), org: viewerOrg, role, scenario: author.id });
        viewers.push(...orgViewers);
        if (relation === 'RULE_BY_TYPE' || relation === 'NONE') {
          // The author organisation's own members are viewers too.
          viewers.push({
            user: await member(t, author.id, MemberRole.MEMBER),
            org: author,
            role: MemberRole.MEMBER,
            scenario: author.id,
          });
        }

        const base = {
          categories: [] as string[],
          orgIds: [] as string[],
          types: [] as string[],
          ports: [] as string[],
          maxTlp: 'AMBER' as Tlp,
        };
        if (relation === 'RULE_BY_ID') await createRule(authorAdmin, { ...base, orgIds: [viewerOrg.id] });
        if (relation === 'RULE_BY_TYPE')
          await createRule(authorAdmin, { ...base, types: [viewerType], categories: ['INSIDER_THREAT'] });
        if (relation === 'RULE_BY_PORT') await createRule(authorAdmin, { ...base, ports: viewerOrg.ports });
        if (relation === 'RULE_OTHER_CATEGORY')
          await createRule(authorAdmin, { ...base, orgIds: [viewerOrg.id], categories: ['PIN_FRAUD'] });
        if (relation === 'RULE_EXPIRED') await createRule(authorAdmin, { ...base, orgIds: [viewerOrg.id] }, true);
        if (relation === 'RULE_MAX_GREEN')
          await createRule(authorAdmin, { ...base, orgIds: [viewerOrg.id], maxTlp: 'GREEN' });

        const namedUser = orgViewers.find((v) => v.role === MemberRole.ANALYST)!.user.id;
        for (const tlp of TLPS) {
          for (const category of CATEGORIES) {
            const recipientOrgs = relation === 'NAMED_ORG' && tlp !== 'RED' ? [viewerOrg.id] : [];
            const recipientUsers = tlp === 'RED' ? (relation === 'NAMED_USER' ? [namedUser] : [bystander.id]) : [];
            const created = await t.gql(
              CREATE_BULLETIN,
              {
                input: bulletinInput({
                  title: `${relation} ${viewerType} ${tlp} ${category}`,
                  tlp,
                  category,
                  recipientOrganisationIds: recipientOrgs,
                  recipientUserIds: recipientUsers,
                  indicators: [
                    { type: 'CONTAINER_NUMBER', value: uniqueContainerNumber('HWTU') },
                    { type: 'CONTAINER_NUMBER', value: SHARED_CONTAINER },
                  ],
                }),
              },
              analyst.token,
            );
            const id = created.data.createBulletin.id;
            await t.gql(PUBLISH_BULLETIN, { id }, analyst.token);
            bulletins.push({
              id,
              author,
              authorUser: analyst.id,
              draft: false,
              tlp,
              category,
              recipientOrgs,
              recipientUsers,
            });
          }
        }
        // One draft per author organisation, AMBER and named: drafts never leave the author organisation.
        const draft = await t.gql(
          CREATE_BULLETIN,
          {
            input: bulletinInput({
              title: `${relation} ${viewerType} draft`,
              tlp: 'AMBER',
              recipientOrganisationIds: [viewerOrg.id],
              indicators: [{ type: 'CONTAINER_NUMBER', value: SHARED_CONTAINER }],
            }),
          },
          analyst.token,
        );
        bulletins.push({
          id: draft.data.createBulletin.id,
          author,
          authorUser: analyst.id,
          draft: true,
          tlp: 'AMBER',
          category: 'INSIDER_THREAT',
          recipientOrgs: [viewerOrg.id],
          recipientUsers: [],
        });
      }
    }
  }, 300_000);
  afterAll(() => t.close());

  const expectedFor = (v: Viewer) =>
    new Set(bulletins.filter((b) => expectedVisible(v.org, v.user.id, b, rules)).map((b) => b.id));

  it('builds a matrix that exercises every outcome', () => {
    const combos = viewers.length * bulletins.length;
    const visible = viewers.reduce((n, v) => n + expectedFor(v).size, 0);
    expect(viewers.length).toBeGreaterThanOrEqual(RELATIONS.length * VIEWER_TYPES.length * ROLES.length);
    expect(visible).toBeGreaterThan(0);
    expect(visible).toBeLessThan(combos);
  });

  it('bulletin(id) agrees with the oracle for every viewer, on its scenario and a sample of all others', async () => {
    const mismatches: string[] = [];
    for (const v of viewers) {
      const expected = expectedFor(v);
      const checked = bulletins.filter((b, i) => b.author.id === v.scenario || i % 25 === 0);
      for (const b of checked) {
        const r = await t.gql(`query($id: ID!) { bulletin(id: $id) { id } }`, { id: b.id }, v.user.token);
        if (codeOf(r) !== 'OK' && codeOf(r) !== 'NOT_FOUND') mismatches.push(`${b.id}: ${codeOf(r)}`);
        const got = codeOf(r) === 'OK' && r.data.bulletin.id === b.id;
        if (got !== expected.has(b.id))
          mismatches.push(`${v.role}@${v.org.type} ${b.tlp} ${b.category} draft=${b.draft}: got ${got}`);
      }
    }
    expect(mismatches).toEqual([]);
  }, 300_000);

  it('bulletins, its totalCount and searchIndicators return exactly the expected set for every viewer', async () => {
    const mismatches: string[] = [];
    for (const v of viewers) {
      const expected = expectedFor(v);
      const seen: string[] = [];
      let after: string | null = null;
      let total: number;
      do {
        const page: any = await t.gql(
          `query($after: String) { bulletins(first: 100, after: $after) { totalCount edges { node { id } } pageInfo { hasNextPage endCursor } } }`,
          { after },
          v.user.token,
        );
        total = page.data.bulletins.totalCount;
        seen.push(...page.data.bulletins.edges.map((e: { node: { id: string } }) => e.node.id));
        after = page.data.bulletins.pageInfo.hasNextPage ? page.data.bulletins.pageInfo.endCursor : null;
      } while (after);
      const hits = await t.gql(
        `query($v: String!) { searchIndicators(value: $v) { bulletin { id } } }`,
        { v: SHARED_CONTAINER.toLowerCase() },
        v.user.token,
      );
      const found = new Set(hits.data.searchIndicators.map((h: { bulletin: { id: string } }) => h.bulletin.id));
      const label = `${v.role}@${v.org.type}`;
      const leaks = seen.filter((id) => !expected.has(id));
      const misses = [...expected].filter((id) => !seen.includes(id));
      if (leaks.length || misses.length)
        mismatches.push(`${label} list: ${leaks.length} leaked, ${misses.length} missed`);
      if (total !== expected.size) mismatches.push(`${label} totalCount ${total} != ${expected.size}`);
      if (new Set(seen).size !== seen.length) mismatches.push(`${label} list has duplicates`);
      const searchLeaks = [...found].filter((id) => !expected.has(id as string));
      const searchMisses = [...expected].filter((id) => !found.has(id));
      if (searchLeaks.length || searchMisses.length)
        mismatches.push(`${label} search: ${searchLeaks.length} leaked, ${searchMisses.length} missed`);
    }
    expect(mismatches).toEqual([]);
  }, 300_000);

  it('whoCanSee names exactly the organisations (or, for RED, users) the oracle lets see each bulletin', async () => {
    const mismatches: string[] = [];
    const orgs = new Map<string, Org>();
    for (const v of viewers) orgs.set(v.org.id, v.org);
    for (const b of bulletins) {
      const analyst = authorAnalysts.get(b.author.id)!;
      const r = await t.gql(
        `query($id: ID!) { whoCanSee(id: $id) { organisation { id } user { id } reason ruleId } }`,
        { id: b.id },
        analyst.token,
      );
      if (r.errors) {
        mismatches.push(`${b.id}: ${JSON.stringify(r.errors)}`);
        continue;
      }
      const access: {
        organisation: { id: string } | null;
        user: { id: string } | null;
        reason: string;
        ruleId: string | null;
      }[] = r.data.whoCanSee;
      if (b.tlp === 'RED') {
        const users = new Set(access.map((a) => a.user?.id));
        for (const v of viewers) {
          if (users.has(v.user.id) !== expectedVisible(v.org, v.user.id, b, rules))
            mismatches.push(`RED ${b.id} user ${v.role}@${v.org.type}`);
        }
        if (!users.has(b.authorUser)) mismatches.push(`RED ${b.id} misses its author`);
      } else {
        const listed = new Set(access.map((a) => a.organisation?.id));
        for (const org of orgs.values()) {
          if (listed.has(org.id) !== expectedVisible(org, null, b, rules))
            mismatches.push(`${b.tlp} ${b.id} org ${org.type} listed=${listed.has(org.id)}`);
        }
        for (const a of access) {
          if ((a.reason === 'SHARING_RULE') !== Boolean(a.ruleId))
            mismatches.push(`${b.id}: reason ${a.reason} with ruleId ${a.ruleId}`);
        }
        const author = access.find((a) => a.organisation?.id === b.author.id);
        if (author?.reason !== 'AUTHOR') mismatches.push(`${b.id}: author organisation reason ${author?.reason}`);
      }
    }
    expect(mismatches).toEqual([]);
  }, 300_000);

  it('row-level security alone (the application check bypassed) admits exactly what the oracle admits', async () => {
    const mismatches: string[] = [];
    for (const v of viewers) {
      const rows = await rawAs<{ id: string }>(t, actingAs(v.user.id, v.org, v.role), `SELECT id FROM bulletins`);
      const seen = new Set(rows.map((r) => r.id));
      const expected = expectedFor(v);
      const leaks = [...seen].filter((id) => !expected.has(id));
      const misses = [...expected].filter((id) => !seen.has(id));
      if (leaks.length || misses.length)
        mismatches.push(`${v.role}@${v.org.type}: ${leaks.length} leaked, ${misses.length} missed`);
    }
    printSummary(
      `row-level security oracle: ${viewers.length} viewers x ${bulletins.length} bulletins, ${mismatches.length} viewers with a difference`,
    );
    expect(mismatches).toEqual([]);
  }, 120_000);

  it("keeps whoCanSee to the author organisation: another organisation's analyst is refused what they can read and told nothing of the rest", async () => {
    const b = bulletins.find((x) => x.tlp === 'GREEN')!;
    expect(
      codeOf(await t.gql(`query($id: ID!) { whoCanSee(id: $id) { reason } }`, { id: b.id }, bystander.token)),
    ).toBe('FORBIDDEN');
    const amberStrict = bulletins.find((x) => x.tlp === 'AMBER_STRICT' && x.recipientOrgs.length === 0)!;
    expect(
      codeOf(await t.gql(`query($id: ID!) { whoCanSee(id: $id) { reason } }`, { id: amberStrict.id }, bystander.token)),
    ).toBe('NOT_FOUND');
  });
});
