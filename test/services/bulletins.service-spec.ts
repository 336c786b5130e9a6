/** The bulletin lifecycle and its queries, one behaviour per test, through the services. */
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../src/common/actor';
import { BulletinAccessService } from '../../src/bulletins/bulletin-access.service';
import { BulletinQueriesService } from '../../src/bulletins/bulletin-queries.service';
import { effectiveStatus } from '../../src/bulletins/bulletin-visibility';
import { BulletinsService } from '../../src/bulletins/bulletins.service';
import { BulletinFilter, BulletinInput } from '../../src/bulletins/dto/bulletin.inputs';
import { BulletinOrder } from '../../src/bulletins/bulletin-enums';
import { MemberRole, OrganisationType } from '../../src/common/organisation-type';
import { AccessReason } from '../../src/sharing/ability.factory';
import { Tlp } from '../../src/common/tlp';
import { bulletinInput } from '../helpers/bulletins';
import { Fixtures, OrganisationFixture, outcome, parsed } from '../helpers/fixtures';
import { startTestApp, TestApp } from '../helpers/test-app';

describe('bulletins (service tier)', () => {
  let t: TestApp;
  let f: Fixtures;
  let bulletins: BulletinsService;
  let queries: BulletinQueriesService;
  let author: Actor;
  let police: OrganisationFixture;
  let policeAnalyst: Actor;
  let reader: Actor;

  beforeAll(async () => {
    t = await startTestApp();
    f = new Fixtures(t);
    bulletins = f.service(BulletinsService);
    queries = f.service(BulletinQueriesService);
    author = await f.newMember(await f.newOrganisation(OrganisationType.TERMINAL_OPERATOR, ['NLRTM']));
    police = await f.newOrganisation(OrganisationType.POLICE, ['NLRTM']);
    policeAnalyst = await f.newMember(police, MemberRole.ANALYST);
    reader = await f.newMember(
      await f.newOrganisation(OrganisationType.SHIPPING_COMPANY, ['BEANR']),
      MemberRole.MEMBER,
    );
  });
  afterAll(() => t.close());

  const ids = (actor: Actor, filter: Partial<BulletinFilter> = {}) =>
    f.as(actor, async () => (await queries.list(actor, { first: 100, filter: filter })).edges.map((e) => e.node.id));

  it('keeps every published version readable after a revision, each with its own change note', async () => {
    const b = await f.newBulletin(author, Tlp.GREEN, { title: 'First version' });
    const input = await parsed(BulletinInput, bulletinInput({ title: 'Second version' }));
    const revised = await f.as(author, () => bulletins.revise(author, b.id, input, 'Vessel identified'));
    expect(revised).toMatchObject({ version: 2, title: 'Second version', status: 'PUBLISHED' });
    const versions = await f.as(reader, () => queries.versions(reader, b.id));
    expect(versions.map((v) => [v.version, v.title, v.changeNote])).toEqual([
      [1, 'First version', null],
      [2, 'Second version', 'Vessel identified'],
    ]);
  });

  it("keeps each person's read marker: unread, read, then revised since read", async () => {
    const b = await f.newBulletin(author, Tlp.GREEN, { title: 'Read me' });
    const readVersion = (actor: Actor) => f.as(actor, () => queries.readVersion(b.id));
    expect(await readVersion(reader)).toBeNull();
    await f.as(reader, async () => queries.markRead(reader, await queries.read(reader, b.id)));
    expect(await readVersion(reader)).toBe(1);
    const input = await parsed(BulletinInput, bulletinInput({ title: 'Read me again' }));
    await f.as(author, () => bulletins.revise(author, b.id, input, 'New facts'));
    expect(await readVersion(reader)).toBe(1);
    // Another person's marker is theirs alone, under row-level security too.
    expect(await readVersion(policeAnalyst)).toBeNull();
  });

  it('names the analysts and admins of an active organisation for TLP:RED, and nothing for others', async () => {
    const admin = await f.newMember(police, MemberRole.ORG_ADMIN);
    const plainMember = await f.newMember(police, MemberRole.MEMBER);
    const named = await f.as(author, () => queries.recipientDirectory(police.id));
    expect(named.map((u) => u.id).sort()).toEqual([policeAnalyst.userId, admin.userId].sort());
    expect(named.map((u) => u.id)).not.toContain(plainMember.userId);
    expect(Object.keys(named[0]).sort()).toEqual(['displayName', 'id']);
    const [audited] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'listRecipientDirectory' AND object_id = $1`,
      [police.id],
    );
    expect(audited.n).toBe(1);
    const suspended = await f.newOrganisation(OrganisationType.CUSTOMS);
    await f.newMember(suspended, MemberRole.ANALYST);
    await t.dataSource.query(`UPDATE organisations SET status = 'SUSPENDED' WHERE id = $1`, [suspended.id]);
    expect(await outcome(f.as(author, () => queries.recipientDirectory(suspended.id)))).toBe('NOT_FOUND');
    expect(await outcome(f.as(author, () => queries.recipientDirectory(randomUUID())))).toBe('NOT_FOUND');
  });

  it('reads a published bulletin past its validity as EXPIRED, and filters it as such', async () => {
    const b = await f.newBulletin(author, Tlp.GREEN, { title: 'Soon expired' });
    await t.dataSource.query(`UPDATE bulletins SET valid_until = now() - interval '1 minute' WHERE id = $1`, [b.id]);
    expect(effectiveStatus(await f.as(reader, () => queries.read(reader, b.id)))).toBe('EXPIRED');
    expect(await ids(reader, { status: 'EXPIRED' as never })).toContain(b.id);
    expect(await ids(reader, { status: 'PUBLISHED' as never })).not.toContain(b.id);
  });

  it('keeps a retracted bulletin readable, as RETRACTED, with its reason', async () => {
    const b = await f.newBulletin(author, Tlp.GREEN, { title: 'To retract' });
    await f.as(author, () => bulletins.retract(author, b.id, 'False alarm'));
    expect(await f.as(reader, () => queries.read(reader, b.id))).toMatchObject({
      status: 'RETRACTED',
      retractionReason: 'False alarm',
    });
  });

  it('takes one acknowledgement per recipient organisation', async () => {
    const b = await f.newBulletin(author, Tlp.AMBER, { recipientOrganisationIds: [police.id] });
    const colleague = await f.newMember(police, MemberRole.MEMBER);
    expect(await outcome(f.as(policeAnalyst, () => bulletins.acknowledge(policeAnalyst, b.id, 'Seen')))).toBe('OK');
    expect(await outcome(f.as(colleague, () => bulletins.acknowledge(colleague, b.id, undefined)))).toBe('CONFLICT');
  });

  it('refuses an acknowledgement from the author organisation, and knows of none for those who cannot read it', async () => {
    const b = await f.newBulletin(author, Tlp.AMBER, { recipientOrganisationIds: [police.id] });
    expect(await outcome(f.as(author, () => bulletins.acknowledge(author, b.id, undefined)))).toBe('FORBIDDEN');
    expect(await outcome(f.as(reader, () => bulletins.acknowledge(reader, b.id, undefined)))).toBe('NOT_FOUND');
  });

  it('filters the feed by category, severity, port, marking and text (indicators too)', async () => {
    const a = await f.newBulletin(author, Tlp.GREEN, {
      title: 'Cloned container numbers at Euromax',
      category: 'CONTAINER_CLONING',
      severity: 'EXTREME',
      ports: ['BEANR'],
    });
    const b = await f.newBulletin(author, Tlp.GREEN, {
      title: 'PIN codes sold on messaging app',
      category: 'PIN_FRAUD',
      severity: 'MINOR',
      indicators: [{ type: 'SEAL_NUMBER', value: 'SL-998877' }],
    });
    expect(await ids(reader, { categories: ['CONTAINER_CLONING' as never] })).toEqual([a.id]);
    expect(await ids(reader, { minSeverity: 'EXTREME' as never })).toEqual([a.id]);
    expect(await ids(reader, { ports: ['BEANR'] })).toEqual([a.id]);
    expect(await ids(reader, { text: 'messaging' })).toEqual([b.id]);
    expect(await ids(reader, { text: 'sl 998877' })).toEqual([b.id]);
    expect((await ids(reader, { tlp: [Tlp.GREEN] })).slice(0, 2)).toEqual([b.id, a.id]);
  });

  it('pages the feed newest first, with a total that counts every page', async () => {
    const older = await f.newBulletin(author, Tlp.GREEN);
    const newer = await f.newBulletin(author, Tlp.GREEN);
    const total = await f.as(reader, async () => {
      const first = await queries.list(reader, { first: 1 });
      expect(first.edges.map((e) => e.node.id)).toEqual([newer.id]);
      const second = await queries.list(reader, { first: 1, after: first.pageInfo.endCursor! });
      expect(second.edges.map((e) => e.node.id)).toEqual([older.id]);
      return first.count();
    });
    expect(total).toBe((await ids(reader)).length);
  });

  it('sorts the feed by severity, response deadline or age, each paged by its own keys', async () => {
    const org = await f.newMember(await f.newOrganisation(OrganisationType.TERMINAL_OPERATOR, ['NLRTM']));
    const minor = await f.newBulletin(org, Tlp.GREEN, { severity: 'MINOR', respondWithinMinutes: 3 * 24 * 60 });
    const extreme = await f.newBulletin(org, Tlp.GREEN, { severity: 'EXTREME' });
    const severe = await f.newBulletin(org, Tlp.GREEN, { severity: 'SEVERE', respondWithinMinutes: 24 * 60 });
    const newerExtreme = await f.newBulletin(org, Tlp.GREEN, { severity: 'EXTREME' });
    const pagedOneByOne = (order: BulletinOrder) =>
      f.as(reader, async () => {
        const seen: string[] = [];
        let after: string | undefined;
        for (;;) {
          const page = await queries.list(reader, {
            first: 1,
            after,
            order,
            filter: { authorOrganisationId: org.organisationId! },
          });
          seen.push(...page.edges.map((e) => e.node.id));
          if (!page.pageInfo.hasNextPage) return seen;
          after = page.pageInfo.endCursor!;
        }
      });
    expect(await pagedOneByOne(BulletinOrder.SEVERITY)).toEqual([newerExtreme.id, extreme.id, severe.id, minor.id]);
    expect(await pagedOneByOne(BulletinOrder.OLDEST)).toEqual([minor.id, extreme.id, severe.id, newerExtreme.id]);
    const byDeadline = await pagedOneByOne(BulletinOrder.RESPONSE_DUE);
    expect(byDeadline.slice(0, 2)).toEqual([severe.id, minor.id]);
    expect(byDeadline.slice(2).sort()).toEqual([extreme.id, newerExtreme.id].sort());
  });

  it('acknowledges a selection at once, leaving alone what its organisation has acknowledged or wrote', async () => {
    const fresh = await f.newBulletin(author, Tlp.AMBER, { recipientOrganisationIds: [police.id] });
    const acknowledged = await f.newBulletin(author, Tlp.AMBER, { recipientOrganisationIds: [police.id] });
    await f.as(policeAnalyst, () => bulletins.acknowledge(policeAnalyst, acknowledged.id, 'Seen'));
    const policeOwn = await f.newBulletin(policeAnalyst, Tlp.GREEN);
    const now = await f.as(policeAnalyst, () =>
      bulletins.acknowledgeEach(policeAnalyst, [fresh.id, acknowledged.id, policeOwn.id]),
    );
    expect(now.map((b) => b.id)).toEqual([fresh.id]);
  });

  it('acknowledges nothing of a selection holding a bulletin the caller cannot see, and says NOT_FOUND', async () => {
    const readable = await f.newBulletin(author, Tlp.AMBER, { recipientOrganisationIds: [police.id] });
    const elsewhere = await f.newBulletin(author, Tlp.AMBER, { recipientOrganisationIds: [reader.organisationId!] });
    for (const unseen of [elsewhere.id, randomUUID()]) {
      expect(
        await outcome(f.as(policeAnalyst, () => bulletins.acknowledgeEach(policeAnalyst, [readable.id, unseen]))),
      ).toBe('NOT_FOUND');
    }
    expect(await outcome(f.as(policeAnalyst, () => bulletins.acknowledge(policeAnalyst, readable.id, undefined)))).toBe(
      'OK',
    );
  });

  it('marks a selection read at each current version', async () => {
    const first = await f.newBulletin(author, Tlp.GREEN);
    const revised = await f.newBulletin(author, Tlp.GREEN);
    await f.as(author, async () =>
      bulletins.revise(author, revised.id, await parsed(BulletinInput, bulletinInput({ title: 'Revised' })), 'More'),
    );
    await f.as(reader, () => queries.markEachRead(reader, [first.id, revised.id]));
    expect(await f.as(reader, () => queries.readVersion(first.id))).toBe(1);
    expect(await f.as(reader, () => queries.readVersion(revised.id))).toBe(2);
  });
});

describe('audience preview (service tier)', () => {
  let t: TestApp;
  let f: Fixtures;
  let access: BulletinAccessService;
  let author: Actor;
  let police: OrganisationFixture;

  beforeAll(async () => {
    t = await startTestApp();
    f = new Fixtures(t);
    access = f.service(BulletinAccessService);
    const terminal = await f.newOrganisation(OrganisationType.TERMINAL_OPERATOR, ['NLRTM']);
    author = await f.newMember(terminal);
    police = await f.newOrganisation(OrganisationType.POLICE, ['NLRTM']);
    await f.newMember(police, MemberRole.MEMBER);
    await f.newMember(police, MemberRole.ANALYST);
    const gone = await f.newMember(police, MemberRole.MEMBER);
    await t.dataSource.query(`UPDATE users SET status = 'DISABLED' WHERE id = $1`, [gone.userId]);
    await f.newOrganisation(OrganisationType.CUSTOMS, ['NLRTM']);
  });
  afterAll(() => t.close());

  it("names, before publishing, exactly the organisations that can read it once published, with each one's active people", async () => {
    const draft = await f.newBulletin(author, Tlp.AMBER, { recipientOrganisationIds: [police.id] }, { draft: true });
    const preview = await f.as(author, () => access.audiencePreview(author, draft.id));
    expect(preview.recipients.map((r) => [r.organisation?.id, r.reason, r.people])).toEqual(
      expect.arrayContaining([
        [author.organisationId, AccessReason.AUTHOR, 1],
        [police.id, AccessReason.NAMED_RECIPIENT, 2],
      ]),
    );
    expect(preview.recipients).toHaveLength(2);
    expect(preview.people).toBe(3);
    await f.as(author, () => f.service(BulletinsService).publish(author, draft.id));
    const after = await f.as(author, () => access.whoCanSee(author, draft.id));
    expect(after.map((a) => a.organisation?.id).sort()).toEqual(
      preview.recipients.map((r) => r.organisation?.id).sort(),
    );
  });

  it('counts one person per named user of a TLP:RED bulletin, the author included', async () => {
    const named = await f.newMember(police, MemberRole.ANALYST);
    const draft = await f.newBulletin(author, Tlp.RED, { recipientUserIds: [named.userId] }, { draft: true });
    const preview = await f.as(author, () => access.audiencePreview(author, draft.id));
    expect(preview.recipients.map((r) => r.user?.id).sort()).toEqual([author.userId, named.userId].sort());
    expect(preview.people).toBe(2);
  });

  it("is the author organisation's analysts' and admins' alone", async () => {
    const draft = await f.newBulletin(author, Tlp.GREEN, {}, { draft: true });
    const colleague = await f.newMember(
      { id: author.organisationId!, type: OrganisationType.TERMINAL_OPERATOR, ports: ['NLRTM'] },
      MemberRole.MEMBER,
    );
    expect(await outcome(f.as(colleague, () => access.audiencePreview(colleague, draft.id)))).toBe('FORBIDDEN');
    const outsider = await f.newMember(police, MemberRole.ANALYST);
    expect(await outcome(f.as(outsider, () => access.audiencePreview(outsider, draft.id)))).toBe('NOT_FOUND');
  });
});
