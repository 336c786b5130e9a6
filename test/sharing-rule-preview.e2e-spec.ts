/**
 * Issue 15: a sharing rule's live preview says which organisations it would admit and which current
 * AMBER bulletins it would open to them; saved, the rule does exactly that.
 */
import { MemberRole, OrganisationType } from '../src/common/organisation-type';
import { publishBulletin } from './helpers/bulletins';
import { makeOrganisation, member, TestUser } from './helpers/factory';
import { holdSharingNotifications } from './helpers/late-notifications';
import { platformAdmin } from './helpers/platform-admin';
import { codeOf, startTestApp, TestApp } from './helpers/test-app';

const PREVIEW = `query($i: SharingRuleInput!) { sharingRulePreview(input: $i) {
  organisationCount organisations { id name } bulletinCount bulletins { id title category } } }`;
const CREATE = `mutation($i: SharingRuleInput!) { createSharingRule(input: $i) { id } }`;

describe('sharing rule preview', () => {
  let t: TestApp;
  let admin: TestUser;
  let policeRotterdam: TestUser;
  let policeAntwerp: string;
  let customsRotterdam: string;
  const insider: string[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    const terminal = await makeOrganisation(t, OrganisationType.TERMINAL_OPERATOR, ['NLRTM'], 'Preview Terminal');
    admin = await member(t, terminal, MemberRole.ORG_ADMIN);
    const analyst = await member(t, terminal, MemberRole.ANALYST);
    for (let i = 0; i < 2; i++)
      insider.push(
        await publishBulletin(t, analyst.token, { tlp: 'AMBER', category: 'INSIDER_THREAT', title: `Insider ${i}` }),
      );
    await publishBulletin(t, analyst.token, { tlp: 'AMBER', category: 'PIN_FRAUD', title: 'PIN fraud' });
    await publishBulletin(t, analyst.token, { tlp: 'AMBER_STRICT', category: 'INSIDER_THREAT', title: 'Strict' });
    policeRotterdam = await member(
      t,
      await makeOrganisation(t, OrganisationType.POLICE, ['NLRTM'], 'Politie Rotterdam'),
      MemberRole.ANALYST,
    );
    policeAntwerp = await makeOrganisation(t, OrganisationType.POLICE, ['BEANR'], 'Politie Antwerpen');
    customsRotterdam = await makeOrganisation(t, OrganisationType.CUSTOMS, ['NLRTM'], 'Douane Rotterdam');
    const suspended = await makeOrganisation(t, OrganisationType.POLICE, ['NLRTM'], 'Politie Geschorst');
    await t.dataSource.query(`UPDATE organisations SET status = 'SUSPENDED' WHERE id = $1`, [suspended]);
  });
  afterAll(() => t.close());

  const rule = (over: Record<string, unknown> = {}) => ({
    subject: 'BULLETIN',
    maxTlp: 'AMBER',
    categories: ['INSIDER_THREAT'],
    audience: { organisationTypes: ['POLICE'], ports: ['NLRTM'] },
    ...over,
  });

  it('names the active organisations it admits and the AMBER bulletins it opens, and saved it opens exactly those', async () => {
    const r = await t.gql(PREVIEW, { i: rule() }, admin.token);
    expect(r.errors).toBeUndefined();
    const preview = r.data.sharingRulePreview;
    expect(preview.organisations.map((o: { name: string }) => o.name)).toEqual(['Politie Rotterdam']);
    expect(preview.organisationCount).toBe(1);
    expect(preview.bulletinCount).toBe(2);
    expect(preview.bulletins.map((b: { id: string }) => b.id).sort()).toEqual([...insider].sort());

    const amberSeen = async () =>
      (
        await t.gql(
          `{ bulletins(first: 50, filter: { tlp: [AMBER] }) { edges { node { id } } } }`,
          {},
          policeRotterdam.token,
        )
      ).data.bulletins.edges
        .map((e: { node: { id: string } }) => e.node.id)
        .sort();
    expect(await amberSeen()).toEqual([]);
    // The change notification may come after the next request: the writer's instance must not wait for it.
    const release = holdSharingNotifications(t);
    try {
      const saved = await t.gql(CREATE, { i: rule() }, admin.token);
      expect(saved.errors).toBeUndefined();
      expect(await amberSeen()).toEqual([...insider].sort());
      const deleted = await t.gql(
        `mutation($id: ID!) { deleteSharingRule(id: $id) }`,
        { id: saved.data.createSharingRule.id },
        admin.token,
      );
      expect(deleted.errors).toBeUndefined();
      expect(await amberSeen()).toEqual([]);
    } finally {
      release();
    }
  });

  it('widens nothing but AMBER, and admits by id, type and port as saved rules do', async () => {
    const green = (await t.gql(PREVIEW, { i: rule({ maxTlp: 'GREEN' }) }, admin.token)).data.sharingRulePreview;
    expect([green.organisationCount, green.bulletinCount, green.bulletins]).toEqual([1, 0, []]);
    const byId = (
      await t.gql(
        PREVIEW,
        { i: rule({ audience: { organisationIds: [policeAntwerp, customsRotterdam] }, categories: [] }) },
        admin.token,
      )
    ).data.sharingRulePreview;
    expect(byId.organisations.map((o: { name: string }) => o.name)).toEqual(['Douane Rotterdam', 'Politie Antwerpen']);
    expect(byId.bulletinCount).toBe(3);
  });

  it('shows a platform administrator organisations only, and refuses whoever may not make the rule', async () => {
    const platform = await platformAdmin(t);
    const wide = (await t.gql(PREVIEW, { i: rule({ allianceWide: true }) }, platform)).data.sharingRulePreview;
    expect(wide.organisationCount).toBeGreaterThanOrEqual(1);
    expect([wide.bulletinCount, wide.bulletins]).toEqual([null, []]);
    expect(codeOf(await t.gql(PREVIEW, { i: rule() }, policeRotterdam.token))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(PREVIEW, { i: rule({ audience: {} }) }, admin.token))).toBe('BAD_USER_INPUT');
  });
});
