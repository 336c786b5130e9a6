/**
 * The authorization matrix: every TLP x audience relation x viewer organisation type x role, with the
 * expected visibility computed by the sharing oracle (helpers/sharing-oracle.ts, written from the TLP
 * table of ARCHITECTURE.md §2, not from the application's code). Reading one bulletin, the feed, its
 * count, the indicator search and whoCanSee must all agree with it: no leak, no miss. Through the
 * services (GraphQL's channels are the channel matrix's); row-level security is checked alone too.
 */
import type { Actor } from '../../src/common/actor';
import { BulletinAccessService } from '../../src/bulletins/bulletin-access.service';
import { BulletinQueriesService } from '../../src/bulletins/bulletin-queries.service';
import { MemberRole, OrganisationType } from '../../src/common/organisation-type';
import { AbilityFactory, AccessReason } from '../../src/sharing/ability.factory';
import { Bulletin } from '../../src/bulletins/bulletin.entity';
import { In } from 'typeorm';
import { SharingSubject, Tlp as AppTlp } from '../../src/common/tlp';
import { uniqueContainerNumber } from '../helpers/bulletins';
import { Fixtures, OrganisationFixture, outcome } from '../helpers/fixtures';
import { rawAs } from '../helpers/raw-sql';
import { BulletinData, expectedVisible, RuleData, TLPS } from '../helpers/sharing-oracle';
import { startTestApp, TestApp } from '../helpers/test-app';
import { printSummary } from '../security/summary';

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
  actor: Actor;
  org: OrganisationFixture;
  role: MemberRole;
  scenario: string;
}

describe('authorization matrix', () => {
  let t: TestApp;
  let f: Fixtures;
  let queries: BulletinQueriesService;
  const viewers: Viewer[] = [];
  const rules: RuleData[] = [];
  const bulletins: BulletinData[] = [];
  const authorAnalysts = new Map<string, Actor>();
  let bystander: Actor;
  let portSeq = 0;
  const uniquePort = () =>
    `XZ${String.fromCharCode(65 + Math.floor(portSeq / 26))}${String.fromCharCode(65 + (portSeq++ % 26))}A`;

  async function createRule(admin: Actor, data: Omit<RuleData, 'owner' | 'validUntil'>, expire = false) {
    const rule = await f.newSharingRule(admin, {
      subject: SharingSubject.BULLETIN,
      categories: data.categories,
      maxTlp: data.maxTlp,
      audience: {
        organisationIds: data.orgIds,
        organisationTypes: data.types as OrganisationType[],
        ports: data.ports,
      },
    });
    let validUntil: Date | null = null;
    if (expire) {
      validUntil = new Date(Date.now() - 60_000);
      await t.dataSource.query(`UPDATE sharing_rules SET valid_until = $2 WHERE id = $1`, [rule.id, validUntil]);
    }
    rules.push({ owner: admin.organisationId, ...data, validUntil });
  }

  beforeAll(async () => {
    t = await startTestApp();
    f = new Fixtures(t);
    queries = f.service(BulletinQueriesService);
    bystander = await f.newMember(await f.newOrganisation(OrganisationType.OTHER, ['DEHAM']), MemberRole.ANALYST);

    // An alliance-wide default: EU agencies get AMBER suspicious-cargo bulletins from everyone.
    await f.newSharingRule(await f.newPlatformAdmin(), {
      subject: SharingSubject.BULLETIN,
      categories: ['SUSPICIOUS_CARGO'],
      maxTlp: AppTlp.AMBER,
      allianceWide: true,
      audience: { organisationIds: [], organisationTypes: [OrganisationType.EU_AGENCY], ports: [] },
    });
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
        const author = await f.newOrganisation(OrganisationType.TERMINAL_OPERATOR, ['NLRTM']);
        const authorAdmin = await f.newMember(author, MemberRole.ORG_ADMIN);
        const analyst = await f.newMember(author, MemberRole.ANALYST);
        authorAnalysts.set(author.id, analyst);
        const viewerOrg = await f.newOrganisation(viewerType, [uniquePort()]);
        const orgViewers: Viewer[] = [];
        for (const role of ROLES)
          orgViewers.push({ actor: await f.newMember(viewerOrg, role), org: viewerOrg, role, scenario: author.id });
        viewers.push(...orgViewers);
        if (relation === 'RULE_BY_TYPE' || relation === 'NONE') {
          // The author organisation's own members are viewers too.
          const own = await f.newMember(author, MemberRole.MEMBER);
          viewers.push({ actor: own, org: author, role: MemberRole.MEMBER, scenario: author.id });
        }

        const base = {
          categories: [] as string[],
          orgIds: [] as string[],
          types: [] as string[],
          ports: [] as string[],
          maxTlp: 'AMBER' as const,
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

        const namedUser = orgViewers.find((v) => v.role === MemberRole.ANALYST)!.actor.userId;
        for (const tlp of TLPS) {
          for (const category of CATEGORIES) {
            const recipientOrgs = relation === 'NAMED_ORG' && tlp !== 'RED' ? [viewerOrg.id] : [];
            const recipientUsers = tlp === 'RED' ? (relation === 'NAMED_USER' ? [namedUser] : [bystander.userId]) : [];
            const b = await f.newBulletin(analyst, tlp as AppTlp, {
              title: `${relation} ${viewerType} ${tlp} ${category}`,
              category,
              recipientOrganisationIds: recipientOrgs,
              recipientUserIds: recipientUsers,
              indicators: [
                { type: 'CONTAINER_NUMBER', value: uniqueContainerNumber() },
                { type: 'CONTAINER_NUMBER', value: SHARED_CONTAINER },
              ],
            });
            bulletins.push({
              id: b.id,
              author,
              authorUser: analyst.userId,
              draft: false,
              tlp,
              category,
              recipientOrgs,
              recipientUsers,
            });
          }
        }
        // One draft per author organisation, AMBER and named: drafts never leave the author organisation.
        const draft = await f.newBulletin(
          analyst,
          AppTlp.AMBER,
          {
            title: `${relation} ${viewerType} draft`,
            recipientOrganisationIds: [viewerOrg.id],
            indicators: [{ type: 'CONTAINER_NUMBER', value: SHARED_CONTAINER }],
          },
          { draft: true },
        );
        bulletins.push({
          id: draft.id,
          author,
          authorUser: analyst.userId,
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
    new Set(bulletins.filter((b) => expectedVisible(v.org, v.actor.userId, b, rules)).map((b) => b.id));

  it('builds a matrix that exercises every outcome', () => {
    const combos = viewers.length * bulletins.length;
    const visible = viewers.reduce((n, v) => n + expectedFor(v).size, 0);
    expect(viewers.length).toBeGreaterThanOrEqual(RELATIONS.length * VIEWER_TYPES.length * ROLES.length);
    expect(visible).toBeGreaterThan(0);
    expect(visible).toBeLessThan(combos);
  });

  it('reading one bulletin agrees with the oracle for every viewer, on its scenario and a sample of all others', async () => {
    const mismatches: string[] = [];
    for (const v of viewers) {
      const expected = expectedFor(v);
      for (const b of bulletins.filter((x, i) => x.author.id === v.scenario || i % 25 === 0)) {
        const got = await outcome(f.as(v.actor, () => queries.read(v.actor, b.id)));
        if (got !== (expected.has(b.id) ? 'OK' : 'NOT_FOUND'))
          mismatches.push(`${v.role}@${v.org.type} ${b.tlp} ${b.category} draft=${b.draft}: ${got}`);
      }
    }
    expect(mismatches).toEqual([]);
  }, 300_000);

  it('a fan-out decides each recipient (per organisation and role, named users alone) exactly as the oracle', async () => {
    const abilities = f.service(AbilityFactory);
    const rows = await t.dataSource.getRepository(Bulletin).findBy({ id: In(bulletins.map((b) => b.id)) });
    const mismatches: string[] = [];
    for (const v of viewers) {
      const expected = expectedFor(v);
      const admitting = await f.as(v.actor, () => abilities.rulesOf(v.actor));
      for (const b of rows) {
        if (abilities.readsBulletin(v.actor, admitting, b) !== expected.has(b.id))
          mismatches.push(`${v.role}@${v.org.type} ${b.tlp} ${b.category} ${b.status}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('the feed, its count and the indicator search return exactly the expected set for every viewer', async () => {
    const mismatches: string[] = [];
    for (const v of viewers) {
      const expected = expectedFor(v);
      const { seen, total, found } = await f.as(v.actor, async () => {
        const ids: string[] = [];
        let after: string | undefined;
        let count: number;
        do {
          const page = await queries.list(v.actor, { first: 100, after });
          count = await page.count();
          ids.push(...page.edges.map((e) => e.node.id));
          after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor! : undefined;
        } while (after);
        const hits = await queries.searchIndicators(v.actor, SHARED_CONTAINER.toLowerCase());
        return { seen: ids, total: count, found: new Set(hits.map((h) => h.bulletin.id)) };
      });
      const label = `${v.role}@${v.org.type}`;
      const leaks = seen.filter((id) => !expected.has(id));
      const misses = [...expected].filter((id) => !seen.includes(id));
      if (leaks.length || misses.length)
        mismatches.push(`${label} list: ${leaks.length} leaked, ${misses.length} missed`);
      if (total !== expected.size) mismatches.push(`${label} count ${total} != ${expected.size}`);
      if (new Set(seen).size !== seen.length) mismatches.push(`${label} list has duplicates`);
      const searchLeaks = [...found].filter((id) => !expected.has(id));
      const searchMisses = [...expected].filter((id) => !found.has(id));
      if (searchLeaks.length || searchMisses.length)
        mismatches.push(`${label} search: ${searchLeaks.length} leaked, ${searchMisses.length} missed`);
    }
    expect(mismatches).toEqual([]);
  }, 300_000);

  it('whoCanSee names exactly the organisations (or, for RED, users) the oracle lets see each bulletin', async () => {
    const access = f.service(BulletinAccessService);
    const mismatches: string[] = [];
    const orgs = new Map<string, OrganisationFixture>();
    for (const v of viewers) orgs.set(v.org.id, v.org);
    for (const b of bulletins) {
      const analyst = authorAnalysts.get(b.author.id)!;
      const listed = await f.as(analyst, () => access.whoCanSee(analyst, b.id));
      if (b.tlp === 'RED') {
        const users = new Set(listed.map((a) => a.user?.id));
        for (const v of viewers) {
          if (users.has(v.actor.userId) !== expectedVisible(v.org, v.actor.userId, b, rules))
            mismatches.push(`RED ${b.id} user ${v.role}@${v.org.type}`);
        }
        if (!users.has(b.authorUser)) mismatches.push(`RED ${b.id} misses its author`);
      } else {
        const ids = new Set(listed.map((a) => a.organisation?.id));
        for (const org of orgs.values()) {
          if (ids.has(org.id) !== expectedVisible(org, null, b, rules))
            mismatches.push(`${b.tlp} ${b.id} org ${org.type} listed=${ids.has(org.id)}`);
        }
        for (const a of listed) {
          if ((a.reason === AccessReason.SHARING_RULE) !== Boolean(a.ruleId))
            mismatches.push(`${b.id}: reason ${a.reason} with ruleId ${a.ruleId}`);
        }
        const author = listed.find((a) => a.organisation?.id === b.author.id);
        if (author?.reason !== AccessReason.AUTHOR)
          mismatches.push(`${b.id}: author organisation reason ${author?.reason}`);
      }
    }
    expect(mismatches).toEqual([]);
  }, 300_000);

  it('row-level security alone (the application check bypassed) admits exactly what the oracle admits', async () => {
    const mismatches: string[] = [];
    for (const v of viewers) {
      const rows = await rawAs<{ id: string }>(t, v.actor, `SELECT id FROM bulletins`);
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
    const access = f.service(BulletinAccessService);
    const green = bulletins.find((x) => x.tlp === 'GREEN')!;
    expect(await outcome(f.as(bystander, () => access.whoCanSee(bystander, green.id)))).toBe('FORBIDDEN');
    const amberStrict = bulletins.find((x) => x.tlp === 'AMBER_STRICT' && x.recipientOrgs.length === 0)!;
    expect(await outcome(f.as(bystander, () => access.whoCanSee(bystander, amberStrict.id)))).toBe('NOT_FOUND');
  });
});
