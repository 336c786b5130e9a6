/**
 * Correlation: "Related" lists, for each reader, exactly the other bulletins they may read that share a
 * value, with the shared values, and nothing of the others: no entry, no count, no rank, no change at
 * all when a bulletin they may not read appears. Exclusions (per organisation, for the platform, by
 * prefix) and the cap per value hold. Authors are told of later bulletins they may read (console, and
 * e-mail when they asked for it, by marking), and of sightings of their values on such bulletins.
 */
import { MemberRole, OrganisationType } from '../src/common/organisation-type';
import { bulletinInput, publishBulletin, uniqueContainerNumber } from './helpers/bulletins';
import { makeOrganisation, member, TestUser } from './helpers/factory';
import { platformAdmin } from './helpers/platform-admin';
import { codeOf, startTestApp, TestApp } from './helpers/test-app';
import { until } from './helpers/wait';
import { actingAs, rawAs } from './helpers/raw-sql';

const CAP = 3;
const RELATED = `query($id: ID!) { bulletin(id: $id) { related { bulletin { id title tlp } shared { type value } } } }`;
const NOTICES = `query($unseen: Boolean) { correlationNotices(unseenOnly: $unseen) {
  id kind seen bulletin { id } related { id title } shared { type value } } }`;
const EXCLUDE = `mutation($i: CorrelationExclusionInput!) { addCorrelationExclusion(input: $i) { id organisationId type value prefix } }`;
type Related = { bulletin: { id: string; title: string; tlp: string }; shared: { type: string; value: string }[] };

describe('correlation', () => {
  let t: TestApp;
  let terminal: string;
  let police: string;
  let customs: string;
  let author: TestUser; // terminal analyst: wrote `first`
  let policeAnalyst: TestUser;
  let customsAnalyst: TestUser;
  let strictAuthor: TestUser; // another terminal: writes AMBER+STRICT for customs only
  let outsider: TestUser; // a shipping company member
  let outsiderAdmin: TestUser;
  const container = uniqueContainerNumber('CRCU');
  const ip = '198.51.100.77';
  let first: string;

  const related = async (token: string, id: string): Promise<Related[]> => {
    const r = await t.gql(RELATED, { id }, token);
    expect(r.errors).toBeUndefined();
    return r.data.bulletin.related;
  };
  const ids = (list: Related[]) => list.map((r) => r.bulletin.id).sort();
  const publish = (u: TestUser, overrides: Record<string, unknown>) => publishBulletin(t, u.token, overrides);

  beforeAll(async () => {
    t = await startTestApp({ CORRELATION_MAX_PER_VALUE: String(CAP) });
    terminal = await makeOrganisation(t, OrganisationType.TERMINAL_OPERATOR, ['NLRTM']);
    police = await makeOrganisation(t, OrganisationType.POLICE, ['NLRTM']);
    customs = await makeOrganisation(t, OrganisationType.CUSTOMS, ['NLRTM']);
    const shipping = await makeOrganisation(t, OrganisationType.SHIPPING_COMPANY, ['NLRTM']);
    author = await member(t, terminal, MemberRole.ANALYST);
    policeAnalyst = await member(t, police, MemberRole.ANALYST);
    customsAnalyst = await member(t, customs, MemberRole.ANALYST);
    strictAuthor = await member(
      t,
      await makeOrganisation(t, OrganisationType.TERMINAL_OPERATOR, ['BEANR']),
      MemberRole.ANALYST,
    );
    outsider = await member(t, shipping, MemberRole.MEMBER);
    outsiderAdmin = await member(t, shipping, MemberRole.ORG_ADMIN);
    first = await publish(author, {
      title: 'PIN codes phished from the terminal portal',
      tlp: 'GREEN',
      indicators: [
        { type: 'CONTAINER_NUMBER', value: container },
        { type: 'IP_ADDRESS', value: ip },
      ],
    });
    const r = await t.gql(`mutation { setCorrelationMail(enabled: true) }`, {}, author.token);
    expect(r.data.setCorrelationMail).toBe(true);
  });
  afterAll(() => t.close());

  it('shows each reader the related bulletins it may read, and nothing of an AMBER+STRICT one outside its audience', async () => {
    const before = await related(outsider.token, first);
    expect(before).toEqual([]);
    const strict = await publish(strictAuthor, {
      title: 'Extraction team linked to the cloned container',
      tlp: 'AMBER_STRICT',
      recipientOrganisationIds: [customs],
      indicators: [{ type: 'CONTAINER_NUMBER', value: container }],
    });
    // Outside its audience: exactly the same answer as before it existed, and its id is "not found".
    expect(await related(outsider.token, first)).toEqual(before);
    expect(await related(author.token, first)).toEqual([]);
    const opened = await t.gql(`query($id: ID!) { bulletin(id: $id) { id } }`, { id: strict }, outsider.token);
    const unknown = await t.gql(
      `query($id: ID!) { bulletin(id: $id) { id } }`,
      { id: '00000000-0000-4000-8000-000000000000' },
      outsider.token,
    );
    expect([codeOf(opened), opened.errors?.[0].message]).toEqual([codeOf(unknown), unknown.errors?.[0].message]);
    const search = await t.gql(
      `query($v: String!) { searchIndicators(value: $v) { bulletin { id } } }`,
      { v: container },
      outsider.token,
    );
    expect(search.data.searchIndicators.map((h: { bulletin: { id: string } }) => h.bulletin.id)).toEqual([first]);

    // Inside it: customs sees it related, with the shared value.
    expect(await related(customsAnalyst.token, first)).toEqual([
      {
        bulletin: { id: strict, title: 'Extraction team linked to the cloned container', tlp: 'AMBER_STRICT' },
        shared: [{ type: 'CONTAINER_NUMBER', value: container }],
      },
    ]);
    // A later GREEN bulletin sharing both values: everyone sees it; customs sees both, most recent first.
    const green = await publish(policeAnalyst, {
      title: 'Portal login from the same address',
      tlp: 'GREEN',
      indicators: [
        { type: 'IP_ADDRESS', value: '198[.]51[.]100[.]77' },
        { type: 'CONTAINER_NUMBER', value: container },
      ],
    });
    expect(await related(outsider.token, first)).toEqual([
      {
        bulletin: { id: green, title: 'Portal login from the same address', tlp: 'GREEN' },
        shared: [
          { type: 'CONTAINER_NUMBER', value: container },
          { type: 'IP_ADDRESS', value: ip },
        ],
      },
    ]);
    expect((await related(customsAnalyst.token, first)).map((r) => r.bulletin.id)).toEqual([green, strict]);
    // From the other side: the later bulletin lists the first for the outsider, never the strict one.
    expect(ids(await related(outsider.token, green))).toEqual([first]);
    expect(ids(await related(customsAnalyst.token, green))).toEqual([first, strict].sort());
  });

  it('tells the author of a later bulletin it may read, in the console and by e-mail, and nothing of the strict one', async () => {
    await until(async () => (await t.gql(NOTICES, { unseen: true }, author.token)).data.correlationNotices.length > 0);
    // Give the strict bulletin's job time to run as well: it must add nothing for this author.
    await new Promise((r) => setTimeout(r, 2_000));
    const notices = (await t.gql(NOTICES, { unseen: true }, author.token)).data.correlationNotices;
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({
      kind: 'BULLETIN',
      seen: false,
      bulletin: { id: first },
      related: { title: 'Portal login from the same address' },
      shared: [
        { type: 'CONTAINER_NUMBER', value: container },
        { type: 'IP_ADDRESS', value: ip },
      ],
    });
    await until(() =>
      t.smtp.mails.some((m) => m.to.includes(author.email.toLowerCase()) || m.to.includes(author.email)),
    );
    const mails = t.smtp.mails.filter((m) => m.to.includes(author.email.toLowerCase()) || m.to.includes(author.email));
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toBe(
      '[TLP:GREEN] A later bulletin shares indicators with a bulletin you wrote: Portal login from the same address',
    );
    expect(mails[0].text).toContain('- ip address: 198[.]51[.]100[.]77');
    expect(mails[0].text + mails[0].html).not.toContain('Extraction team');
    // AMBER+STRICT for the author's organisation: told, by a link only (no title, no values).
    const strictForTerminal = await publish(policeAnalyst, {
      title: 'Named suspect at the portal',
      tlp: 'AMBER_STRICT',
      recipientOrganisationIds: [terminal],
      indicators: [{ type: 'IP_ADDRESS', value: ip }],
    });
    const mailsNow = () =>
      t.smtp.mails.filter((m) => m.to.includes(author.email.toLowerCase()) || m.to.includes(author.email));
    await until(() => mailsNow().length === 2);
    const linkOnly = mailsNow()[1];
    expect(linkOnly.subject).toBe('[TLP:AMBER+STRICT] A later bulletin shares indicators with a bulletin you wrote');
    expect(linkOnly.text).toContain(`/bulletins/${strictForTerminal}`);
    expect(linkOnly.text + linkOnly.html).not.toMatch(/Named suspect|198\.51|198\[\.\]51/);
    // Seen once read; the customs analyst, who wrote nothing, has no notices.
    expect(
      (await t.gql(`mutation { markCorrelationNoticesSeen }`, {}, author.token)).data.markCorrelationNoticesSeen,
    ).toBe(2);
    expect((await t.gql(NOTICES, { unseen: true }, author.token)).data.correlationNotices).toEqual([]);
    expect((await t.gql(NOTICES, {}, customsAnalyst.token)).data.correlationNotices).toEqual([]);
  });

  it('tells the author of a sighting of its value on a bulletin it may read', async () => {
    const carrier = await publish(policeAnalyst, {
      title: 'Container to be checked at the gate',
      tlp: 'GREEN',
      indicators: [{ type: 'CONTAINER_NUMBER', value: container }],
    });
    const r = await t.gql(
      `mutation($i: SightingInput!) { recordSighting(input: $i) { id } }`,
      {
        i: {
          bulletinId: carrier,
          indicatorType: 'CONTAINER_NUMBER',
          value: container,
          kind: 'SEEN',
          port: 'NLRTM',
          seenAt: new Date().toISOString(),
        },
      },
      customsAnalyst.token,
    );
    expect(r.errors).toBeUndefined();
    await until(async () =>
      (await t.gql(NOTICES, { unseen: true }, author.token)).data.correlationNotices.some(
        (n: { kind: string }) => n.kind === 'SIGHTING',
      ),
    );
    const sighting = (await t.gql(NOTICES, { unseen: true }, author.token)).data.correlationNotices.find(
      (n: { kind: string }) => n.kind === 'SIGHTING',
    );
    expect(sighting).toMatchObject({ bulletin: { id: first }, related: { id: carrier } });
  });

  it('leaves out what an organisation or the platform excludes, by value or by prefix', async () => {
    const byOutsider = await t.gql(
      EXCLUDE,
      { i: { type: 'IP_ADDRESS', value: ip, note: 'our VPN' } },
      outsiderAdmin.token,
    );
    expect(byOutsider.errors).toBeUndefined();
    // The outsider's organisation no longer relates by the address; everyone else still does.
    for (const r of await related(outsider.token, first))
      expect(r.shared.map((s) => s.type)).not.toContain('IP_ADDRESS');
    expect((await related(customsAnalyst.token, first)).some((r) => r.shared.some((s) => s.value === ip))).toBe(true);
    // Twice is a conflict; a member may not exclude; another organisation's exclusion is "not found".
    expect(codeOf(await t.gql(EXCLUDE, { i: { type: 'IP_ADDRESS', value: ip } }, outsiderAdmin.token))).toBe(
      'CONFLICT',
    );
    expect(codeOf(await t.gql(EXCLUDE, { i: { type: 'IP_ADDRESS', value: ip } }, outsider.token))).toBe('FORBIDDEN');
    expect(
      codeOf(
        await t.gql(
          `mutation($id: ID!) { removeCorrelationExclusion(id: $id) { id } }`,
          { id: byOutsider.data.addCorrelationExclusion.id },
          customsAnalyst.token,
        ),
      ),
    ).toBe('NOT_FOUND');
    // A platform exclusion by prefix (the container's owner code) holds for everyone.
    const admin = await platformAdmin(t);
    const platform = await t.gql(
      EXCLUDE,
      { i: { type: 'CONTAINER_NUMBER', value: 'CRCU', prefix: true, platform: true, note: 'a carrier prefix' } },
      admin,
    );
    expect(platform.data.addCorrelationExclusion).toMatchObject({ organisationId: null, prefix: true, value: 'CRCU' });
    for (const token of [customsAnalyst.token, outsider.token, author.token])
      for (const r of await related(token, first))
        expect(r.shared.map((s) => s.type)).not.toContain('CONTAINER_NUMBER');
    const listed = await t.gql(`{ correlationExclusions { value organisationId } }`, {}, customsAnalyst.token);
    expect(listed.data.correlationExclusions).toEqual([{ value: 'CRCU', organisationId: null }]);
    await t.gql(
      `mutation($id: ID!) { removeCorrelationExclusion(id: $id) { id } }`,
      { id: platform.data.addCorrelationExclusion.id },
      admin,
    );
  });

  it('names the authors sharing a value only to the job of the bulletin’s own organisation, even by SQL', async () => {
    const ask = (org: { id: string; type: string }, user: TestUser) =>
      rawAs<{ user_id: string }>(
        t,
        actingAs(user.id, { ...org, ports: ['NLRTM'] }, MemberRole.ANALYST),
        `SELECT user_id FROM correlation_candidates($1, NULL, 50, 100)`,
        [first],
      );
    expect((await ask({ id: terminal, type: 'TERMINAL_OPERATOR' }, author)).length).toBeGreaterThan(0);
    expect(await ask({ id: police, type: 'POLICE' }, policeAnalyst)).toEqual([]);
  });

  it('relates at most CORRELATION_MAX_PER_VALUE bulletins per value, the most recent', async () => {
    const seal = 'SEAL99887766';
    const base = await publish(author, { tlp: 'GREEN', indicators: [{ type: 'SEAL_NUMBER', value: seal }] });
    const later: string[] = [];
    for (let i = 0; i < CAP + 2; i++)
      later.push(
        await publish(policeAnalyst, {
          title: `Seal ${i}`,
          tlp: 'GREEN',
          indicators: [{ type: 'SEAL_NUMBER', value: seal }],
        }),
      );
    expect((await related(outsider.token, base)).map((r) => r.bulletin.id)).toEqual(later.slice(-CAP).reverse());
    // Revising the base keeps it related by its current values only.
    await t.gql(
      `mutation($id: ID!, $input: BulletinInput!) { reviseBulletin(id: $id, input: $input, changeNote: "wrong seal") { id } }`,
      {
        id: base,
        input: bulletinInput({ tlp: 'GREEN', indicators: [{ type: 'SEAL_NUMBER', value: 'SEAL00000001' }] }),
      },
      author.token,
    );
    expect(await related(outsider.token, base)).toEqual([]);
  });
});
