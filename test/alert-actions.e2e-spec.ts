/**
 * From alert to action: grading, recipients kept private, response requests that escalate on a
 * controllable clock, sightings, the originator's view, and a draft bulletin started from a case.
 */
import { ResponseRemindersService } from '../src/notifications/response-reminders.service';
import { MemberRole, OrganisationType } from '../src/common/organisation-type';
import { bulletinInput, CREATE_BULLETIN, publishBulletin, uniqueContainerNumber } from './helpers/bulletins';
import { makeOrganisation, member, TestUser } from './helpers/factory';
import { codeOf, startTestApp, TestApp } from './helpers/test-app';
import { until } from './helpers/wait';
import { BY_RECEIPT, byReceipt, CASES, OPT_IN, submitReport } from './helpers/whistleblowing';

const HOUR = 3_600_000;
const SUBSCRIBE = `mutation($i: AlertSubscriptionInput!) { createAlertSubscription(input: $i) { id } }`;
const RESPOND = `mutation($id: ID!, $action: ResponseAction!, $note: String) {
  respondToBulletin(id: $id, action: $action, note: $note) { id } }`;
const SIGHT = `mutation($i: SightingInput!) { recordSighting(input: $i) { id kind port yours organisation { id } indicator { type value } } }`;
const VIEW = `query($id: ID!) { bulletin(id: $id) {
  id sourceReliability informationCredibility showRecipients recipientCount sharedWithYourOrganisation
  recipientOrganisationIds recipientOrganisations { id name } responseDueAt
  responses { organisation { id } dueAt overdue action note respondedAt }
  sightings { id kind port yours organisation { id } indicator { value } }
  versions { version sourceReliability informationCredibility }
} }`;
const REACH = `query($id: ID!) { bulletin(id: $id) { reach {
  organisation { id name } openedAt opens exportedAt exportFormats acknowledgedAt response respondedAt
  people { user { id displayName } openedAt exportedAt } } } }`;

describe('from alert to action', () => {
  let t: TestApp;
  let reminders: ResponseRemindersService;
  let author: TestUser;
  let police: string;
  let customs: string;
  let shipper: string;
  let policeAnalyst: TestUser; // subscribed by e-mail
  let policeQuiet: TestUser; // an analyst without subscriptions
  let policeAdmin: TestUser;
  let policeMember: TestUser;
  let customsAnalyst: TestUser;
  let customsAdmin: TestUser;
  let customsAdminLeaving: TestUser;
  let shipperAnalyst: TestUser;

  const mailsTo = (u: TestUser) => t.smtp.mails.filter((m) => m.to.includes(u.email.toLowerCase()));

  beforeAll(async () => {
    t = await startTestApp();
    reminders = t.app.get(ResponseRemindersService);
    const terminal = await makeOrganisation(t, OrganisationType.TERMINAL_OPERATOR, ['NLRTM'], 'Noordzee Terminal');
    police = await makeOrganisation(t, OrganisationType.POLICE, ['NLRTM'], 'Zeehavenpolitie');
    customs = await makeOrganisation(t, OrganisationType.CUSTOMS, ['NLRTM'], 'Douane Rotterdam');
    shipper = await makeOrganisation(t, OrganisationType.SHIPPING_COMPANY, ['BEANR'], 'Schelde Lines');
    author = await member(t, terminal, MemberRole.ANALYST);
    [policeAnalyst, policeQuiet, policeAdmin, policeMember] = await Promise.all(
      [MemberRole.ANALYST, MemberRole.ANALYST, MemberRole.ORG_ADMIN, MemberRole.MEMBER].map((r) =>
        member(t, police, r),
      ),
    );
    [customsAnalyst, customsAdmin, customsAdminLeaving] = await Promise.all(
      [MemberRole.ANALYST, MemberRole.ORG_ADMIN, MemberRole.ORG_ADMIN].map((r) => member(t, customs, r)),
    );
    shipperAnalyst = await member(t, shipper, MemberRole.ANALYST);
    for (const u of [policeAnalyst, customsAnalyst]) {
      const r = await t.gql(SUBSCRIBE, { i: { name: 'all', channels: ['EMAIL'], mode: 'DAILY_DIGEST' } }, u.token);
      expect(r.errors).toBeUndefined();
    }
  });
  afterAll(() => t.close());

  describe('grading', () => {
    it('carries source reliability and information credibility, in every version, the filter and STIX', async () => {
      const id = await publishBulletin(t, author.token, {
        sourceReliability: 'B',
        informationCredibility: 'PROBABLY_TRUE',
        indicators: [{ type: 'CONTAINER_NUMBER', value: uniqueContainerNumber() }],
      });
      const seen = (await t.gql(VIEW, { id }, policeMember.token)).data.bulletin;
      expect(seen).toMatchObject({ sourceReliability: 'B', informationCredibility: 'PROBABLY_TRUE' });
      expect(seen.versions).toEqual([{ version: 1, sourceReliability: 'B', informationCredibility: 'PROBABLY_TRUE' }]);
      const list = async (filter: Record<string, unknown>) =>
        (
          await t.gql(
            `query($f: BulletinFilter) { bulletins(first: 100, filter: $f) { edges { node { id } } } }`,
            { f: filter },
            policeMember.token,
          )
        ).data.bulletins.edges.map((e: { node: { id: string } }) => e.node.id);
      expect(await list({ sourceReliability: ['A', 'B'], informationCredibility: ['PROBABLY_TRUE'] })).toContain(id);
      expect(await list({ sourceReliability: ['F'] })).not.toContain(id);
      const bundle = (await (
        await fetch(`${t.baseUrl}/stix/bulletins/${id}`, { headers: { authorization: `Bearer ${policeMember.token}` } })
      ).json()) as { objects: { type: string }[] };
      expect(bundle.objects.find((o) => o.type === 'report')).toMatchObject({
        x_harbourwatch_source_reliability: 'B',
        x_harbourwatch_information_credibility: '2',
      });
      expect(
        codeOf(await t.gql(CREATE_BULLETIN, { input: bulletinInput({ sourceReliability: 'G' }) }, author.token)),
      ).toBe('BAD_USER_INPUT');
    });
  });

  describe('recipients kept private', () => {
    it('shows a named recipient that it was named and how many were, never the others, unless the author shows them', async () => {
      const hidden = await publishBulletin(t, author.token, {
        tlp: 'AMBER',
        recipientOrganisationIds: [police, customs],
        title: 'Extraction team seen at gate 7',
      });
      const asPolice = (await t.gql(VIEW, { id: hidden }, policeMember.token)).data.bulletin;
      expect(asPolice).toMatchObject({
        showRecipients: false,
        recipientCount: 2,
        sharedWithYourOrganisation: true,
        recipientOrganisationIds: [],
        recipientOrganisations: [],
      });
      const asAuthor = (await t.gql(VIEW, { id: hidden }, author.token)).data.bulletin;
      expect(asAuthor.recipientOrganisationIds.sort()).toEqual([police, customs].sort());
      // Nor through the STIX export, the audit trail or a whoCanSee.
      const stix = await (
        await fetch(`${t.baseUrl}/stix/bulletins/${hidden}`, {
          headers: { authorization: `Bearer ${policeAdmin.token}` },
        })
      ).text();
      expect(stix).not.toContain(customs);
      expect(stix).not.toContain('Douane');
      expect(
        codeOf(await t.gql(`query($id: ID!) { whoCanSee(id: $id) { reason } }`, { id: hidden }, policeAdmin.token)),
      ).toMatch(/NOT_FOUND|FORBIDDEN/);
      const trail = await t.gql(`{ auditEvents(first: 100) { edges { node { details } } } }`, {}, policeAdmin.token);
      expect(trail.data.auditEvents.edges.length).toBeGreaterThan(0);
      expect(JSON.stringify(trail.data)).not.toContain(customs);

      const shown = await publishBulletin(t, author.token, {
        tlp: 'AMBER',
        recipientOrganisationIds: [police, customs],
        showRecipients: true,
      });
      const named = (await t.gql(VIEW, { id: shown }, policeMember.token)).data.bulletin;
      expect(named.recipientOrganisations.map((o: { name: string }) => o.name).sort()).toEqual([
        'Douane Rotterdam',
        'Zeehavenpolitie',
      ]);
    });

    it('never names other recipients in the e-mail a recipient gets', async () => {
      const r = await t.gql(
        SUBSCRIBE,
        { i: { name: 'now', channels: ['EMAIL'], mode: 'IMMEDIATE' } },
        policeQuiet.token,
      );
      expect(r.errors).toBeUndefined();
      await publishBulletin(t, author.token, {
        tlp: 'AMBER',
        recipientOrganisationIds: [police, customs],
        title: 'Cloned container numbers on the BEANR shuttle',
      });
      await until(async () => mailsTo(policeQuiet).some((m) => m.text.includes('Cloned container numbers')), 10_000);
      const mail = mailsTo(policeQuiet).find((m) => m.text.includes('Cloned container numbers'))!;
      expect(`${mail.text}${mail.html}`).not.toMatch(/Douane|Zeehavenpolitie/);
      const deleted = await t.gql(
        `mutation($id: ID!) { deleteAlertSubscription(id: $id) }`,
        { id: r.data.createAlertSubscription.id },
        policeQuiet.token,
      );
      expect(deleted.data.deleteAlertSubscription).toBe(true);
    });
  });

  describe('responses with deadlines', () => {
    let id: string;
    let publishedAt: number;

    beforeAll(async () => {
      id = await publishBulletin(t, author.token, {
        tlp: 'AMBER_STRICT',
        recipientOrganisationIds: [police, customs],
        respondWithinMinutes: 240,
        title: 'Stolen PIN codes for terminal pickups',
      });
      const seen = (await t.gql(VIEW, { id }, author.token)).data.bulletin;
      publishedAt = new Date(seen.responseDueAt).getTime() - 4 * HOUR;
      expect(seen.responses.map((r: { organisation: { id: string } }) => r.organisation.id).sort()).toEqual(
        [police, customs].sort(),
      );
    });

    it('asks each recipient organisation, shows it only its own request, and refuses the wrong responders', async () => {
      const own = (await t.gql(VIEW, { id }, policeMember.token)).data.bulletin;
      expect(own.responses).toEqual([
        expect.objectContaining({ organisation: { id: police }, overdue: false, action: null }),
      ]);
      const awaiting = await t.gql(
        `{ bulletins(first: 50, filter: { awaitingResponse: true }) { edges { node { id } } } }`,
        {},
        customsAnalyst.token,
      );
      expect(awaiting.data.bulletins.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([id]);
      expect(codeOf(await t.gql(RESPOND, { id, action: 'PIN_RESET' }, policeMember.token))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(RESPOND, { id, action: 'PIN_RESET' }, author.token))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(RESPOND, { id, action: 'PIN_RESET' }, shipperAnalyst.token))).toBe('NOT_FOUND');
      expect(codeOf(await t.gql(RESPOND, { id, action: 'MAYBE' }, policeAnalyst.token))).toBe('BAD_USER_INPUT');
    });

    it('reminds nobody before half time, then the subscribed analysts once each', async () => {
      expect(await reminders.sendReminders(new Date(publishedAt + 1.9 * HOUR))).toBe(0);
      const before = t.smtp.mails.length;
      expect(await reminders.sendReminders(new Date(publishedAt + 2.1 * HOUR))).toBe(2);
      const sent = t.smtp.mails.slice(before);
      expect(sent.map((m) => m.to[0]).sort()).toEqual(
        [policeAnalyst.email.toLowerCase(), customsAnalyst.email.toLowerCase()].sort(),
      );
      // AMBER+STRICT content never travels by e-mail: the marking and the link only.
      expect(sent[0].subject).toContain('TLP:AMBER+STRICT');
      expect(sent[0].text).not.toContain('Stolen PIN');
      expect(sent[0].text).toContain(`/bulletins/${id}`);
      expect(mailsTo(policeQuiet).filter((m) => m.text.includes(id))).toEqual([]);
      expect(await reminders.sendReminders(new Date(publishedAt + 2.2 * HOUR))).toBe(0);
    });

    it('escalates at the deadline to the admins of organisations that did not respond, not to removed members', async () => {
      const responded = await t.gql(RESPOND, { id, action: 'PIN_RESET', note: 'All PINs reset' }, policeAnalyst.token);
      expect(responded.errors).toBeUndefined();
      expect(codeOf(await t.gql(RESPOND, { id, action: 'OTHER' }, policeAdmin.token))).toBe('CONFLICT');
      await t.gql(`mutation($u: ID!) { removeMember(userId: $u) }`, { u: customsAdminLeaving.id }, customsAdmin.token);

      expect(await reminders.sendReminders(new Date(publishedAt + 4.1 * HOUR))).toBe(1);
      expect(mailsTo(customsAdmin).filter((m) => m.text.includes(id))).toHaveLength(1);
      expect(mailsTo(customsAdmin)[0].subject).toContain('Overdue');
      for (const u of [customsAdminLeaving, policeAdmin])
        expect(mailsTo(u).filter((m) => m.text.includes(id))).toEqual([]);
      expect(await reminders.sendReminders(new Date(publishedAt + 5 * HOUR))).toBe(0);

      const trail = await t.gql(
        `{ auditEvents(first: 100) { edges { node { action objectId details } } } }`,
        {},
        customsAdmin.token,
      );
      const actions = trail.data.auditEvents.edges
        .filter((e: { node: { objectId: string } }) => e.node.objectId === id)
        .map((e: { node: { action: string } }) => e.node.action);
      expect(actions).toEqual(expect.arrayContaining(['remindResponse', 'escalateResponse']));
    });

    it('shows the author every response and the overdue list; the recipient its own response', async () => {
      // The clock of the list is the database's: move the request into the past.
      await t.dataSource.query(
        `UPDATE bulletin_responses SET requested_at = now() - interval '5 hours', due_at = now() - interval '1 hour' WHERE bulletin_id = $1`,
        [id],
      );
      const overdue = await t.gql(
        `{ overdueResponses { bulletin { id } organisation { id } dueAt } }`,
        {},
        author.token,
      );
      expect(overdue.data.overdueResponses).toEqual([
        expect.objectContaining({ bulletin: { id }, organisation: { id: customs } }),
      ]);
      expect(codeOf(await t.gql(`{ overdueResponses { dueAt } }`, {}, policeMember.token))).toBe('FORBIDDEN');
      // A writer whose organisation waits on nothing: an empty list.
      expect((await t.gql(`{ overdueResponses { dueAt } }`, {}, policeAnalyst.token)).data.overdueResponses).toEqual(
        [],
      );
      const all = (await t.gql(VIEW, { id }, author.token)).data.bulletin.responses;
      expect(all).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ organisation: { id: police }, action: 'PIN_RESET', note: 'All PINs reset' }),
          expect.objectContaining({ organisation: { id: customs }, action: null, overdue: true }),
        ]),
      );
      expect((await t.gql(VIEW, { id }, customsAnalyst.token)).data.bulletin.responses).toEqual([
        expect.objectContaining({ organisation: { id: customs }, overdue: true }),
      ]);
    });

    it('reminds only the named people of a TLP:RED request, at half time and at the deadline', async () => {
      const red = await publishBulletin(t, author.token, {
        tlp: 'RED',
        recipientUserIds: [policeQuiet.id],
        respondWithinMinutes: 60,
      });
      const due = new Date((await t.gql(VIEW, { id: red }, author.token)).data.bulletin.responseDueAt).getTime();
      // Half time: the named analyst has no e-mail subscription, so nobody is reminded.
      expect(await reminders.sendReminders(new Date(due - 20 * 60_000))).toBe(0);
      expect(await reminders.sendReminders(new Date(due + 60_000))).toBe(1);
      expect(mailsTo(policeQuiet).filter((m) => m.text.includes(red))).toHaveLength(1);
      expect(mailsTo(policeAdmin).filter((m) => m.text.includes(red))).toEqual([]);
    });
  });

  describe('sightings', () => {
    let id: string;
    const container = uniqueContainerNumber('MSKU');

    beforeAll(async () => {
      id = await publishBulletin(t, author.token, {
        tlp: 'AMBER',
        recipientOrganisationIds: [police, customs],
        indicators: [{ type: 'CONTAINER_NUMBER', value: container }],
      });
    });

    it('records a sighting of one of the bulletin indicators, refusing what is not one', async () => {
      const input = {
        bulletinId: id,
        indicatorType: 'CONTAINER_NUMBER',
        value: container.toLowerCase(),
        kind: 'SEEN',
        port: 'BEANR',
        seenAt: new Date(Date.now() - HOUR).toISOString(),
      };
      const r = await t.gql(SIGHT, { i: input }, policeMember.token);
      expect(r.data.recordSighting).toMatchObject({
        kind: 'SEEN',
        port: 'BEANR',
        yours: true,
        organisation: { id: police },
      });
      expect(r.data.recordSighting.indicator).toEqual({ type: 'CONTAINER_NUMBER', value: container });
      expect(codeOf(await t.gql(SIGHT, { i: { ...input, port: 'Antwerp' } }, policeMember.token))).toBe(
        'BAD_USER_INPUT',
      );
      expect(codeOf(await t.gql(SIGHT, { i: { ...input, value: uniqueContainerNumber() } }, policeMember.token))).toBe(
        'BAD_USER_INPUT',
      );
      const future = new Date(Date.now() + 2 * HOUR).toISOString();
      expect(codeOf(await t.gql(SIGHT, { i: { ...input, seenAt: future } }, policeMember.token))).toBe(
        'BAD_USER_INPUT',
      );
      expect(codeOf(await t.gql(SIGHT, { i: input }, shipperAnalyst.token))).toBe('NOT_FOUND');
    });

    it('shows the sighting to whoever reads the bulletin, naming who saw it only to the author and its organisation', async () => {
      const asCustoms = (await t.gql(VIEW, { id }, customsAnalyst.token)).data.bulletin.sightings;
      expect(asCustoms).toEqual([expect.objectContaining({ port: 'BEANR', yours: false, organisation: null })]);
      const asAuthor = (await t.gql(VIEW, { id }, author.token)).data.bulletin.sightings;
      expect(asAuthor).toEqual([expect.objectContaining({ organisation: { id: police } })]);
      const hits = await t.gql(
        `query($v: String!) { searchIndicators(value: $v) { bulletin { id } sightings { port organisation { id } } } }`,
        { v: container },
        customsAnalyst.token,
      );
      expect(hits.data.searchIndicators).toEqual([
        { bulletin: { id }, sightings: [{ port: 'BEANR', organisation: null }] },
      ]);
      const none = await t.gql(
        `query($v: String!) { searchIndicators(value: $v) { bulletin { id } } }`,
        { v: container },
        shipperAnalyst.token,
      );
      expect(none.data.searchIndicators).toEqual([]);
    });
  });

  describe("the originator's view", () => {
    const reachOf = async (id: string, token = author.token) =>
      (await t.gql(REACH, { id }, token)).data.bulletin.reach as {
        organisation: { id: string };
        opens: number;
        exportFormats: string[];
        acknowledgedAt: string | null;
        response: string | null;
        people: { user: { id: string } }[];
      }[];

    it.each(['CLEAR', 'GREEN', 'AMBER', 'AMBER_STRICT'])(
      'shows for a %s bulletin which organisations opened, exported, acknowledged and responded',
      async (tlp) => {
        const named = tlp.startsWith('AMBER') ? { recipientOrganisationIds: [police, customs] } : {};
        const id = await publishBulletin(t, author.token, { tlp, ...named });
        await t.gql(VIEW, { id }, policeMember.token);
        await t.gql(VIEW, { id }, policeMember.token);
        const stix = () =>
          fetch(`${t.baseUrl}/stix/bulletins/${id}`, { headers: { authorization: `Bearer ${customsAnalyst.token}` } });
        expect((await stix()).status).toBe(200);
        expect((await stix()).status).toBe(200);
        if (tlp === 'GREEN') {
          const cap = await fetch(`${t.baseUrl}/cap/alerts/${id}.xml`, {
            headers: { authorization: `Bearer ${customsAnalyst.token}` },
          });
          expect(cap.status).toBe(200);
        }
        await t.gql(`mutation($id: ID!) { acknowledgeBulletin(id: $id) { id } }`, { id }, policeMember.token);
        await t.gql(RESPOND, { id, action: 'CHECKED_NOT_FOUND' }, customsAnalyst.token);

        const reach = await reachOf(id);
        const p = reach.find((r) => r.organisation.id === police)!;
        const c = reach.find((r) => r.organisation.id === customs)!;
        expect(p).toMatchObject({ opens: 2, exportFormats: [], response: null });
        expect(p.acknowledgedAt).not.toBeNull();
        expect(c).toMatchObject({
          opens: 0,
          exportFormats: tlp === 'GREEN' ? ['CAP', 'STIX'] : ['STIX'],
          response: 'CHECKED_NOT_FOUND',
        });
        // People are named for AMBER+STRICT (and RED) only.
        expect(p.people.map((x) => x.user.id)).toEqual(tlp === 'AMBER_STRICT' ? [policeMember.id] : []);
        // Exporting the same version again is one event, not two.
        const [{ n }] = await t.dataSource.query(
          `SELECT count(*)::int AS n FROM audit_events WHERE object_id = $1 AND action = 'exportStix'`,
          [id],
        );
        expect(n).toBe(1);
        // Nobody but the author organisation's analysts and admins sees it.
        for (const u of [policeAdmin, customsAnalyst]) expect(await reachOf(id, u.token)).toBeNull();
      },
    );

    it('names the people who opened a TLP:RED bulletin', async () => {
      const id = await publishBulletin(t, author.token, {
        tlp: 'RED',
        recipientUserIds: [policeAnalyst.id, customsAnalyst.id],
      });
      await t.gql(VIEW, { id }, customsAnalyst.token);
      const reach = await reachOf(id);
      expect(reach.map((r) => r.organisation.id).sort()).toEqual([police, customs].sort());
      expect(reach.find((r) => r.organisation.id === customs)!.people.map((x) => x.user.id)).toEqual([
        customsAnalyst.id,
      ]);
      expect(reach.find((r) => r.organisation.id === police)!).toMatchObject({ opens: 0, people: [] });
    });
  });

  describe('from report to alert', () => {
    it('starts an AMBER+STRICT draft from a case that carries none of it, linked for the case organisation only', async () => {
      await t.gql(OPT_IN, { accept: true }, policeAdmin.token);
      const text = 'The night-shift crane driver at terminal 3 moves flagged containers for cash.';
      const receipt = await submitReport(t, { recipientOrganisationId: police, text });
      const cases = await t.gql(CASES, {}, policeAdmin.token);
      const caseId = cases.data.whistleblowerCases.edges[0].node.id;

      const drafted = await t.gql(
        `mutation($c: ID!) { draftBulletinFromCase(caseId: $c) { id status tlp title summary body indicators { value } } }`,
        { c: caseId },
        policeAdmin.token,
      );
      const draft = drafted.data.draftBulletinFromCase;
      expect(draft).toMatchObject({ status: 'DRAFT', tlp: 'AMBER_STRICT', indicators: [] });
      expect(JSON.stringify(draft)).not.toMatch(/crane|terminal 3|cash/);
      expect(
        codeOf(
          await t.gql(
            `mutation($c: ID!) { draftBulletinFromCase(caseId: $c) { id } }`,
            { c: caseId },
            policeAnalyst.token,
          ),
        ),
      ).toBe('NOT_FOUND');

      const link = `query($id: ID!) { bulletin(id: $id) { sourceCaseId } }`;
      expect((await t.gql(link, { id: draft.id }, policeAdmin.token)).data.bulletin.sourceCaseId).toBe(caseId);
      // Not a case handler: no link, though the draft is theirs to read, and nothing in it says where it came from.
      expect((await t.gql(link, { id: draft.id }, policeAnalyst.token)).data.bulletin.sourceCaseId).toBeNull();
      const asMember = await t.gql(
        `query($id: ID!) { bulletin(id: $id) { title summary body } }`,
        { id: draft.id },
        policeAnalyst.token,
      );
      expect(Object.values(asMember.data.bulletin).join(' ')).not.toMatch(/whistle|report|case|tip/i);
      const kase = await t.gql(
        `query($id: ID!) { whistleblowerCase(id: $id) { bulletinIds } }`,
        { id: caseId },
        policeAdmin.token,
      );
      expect(kase.data.whistleblowerCase.bulletinIds).toEqual([draft.id]);

      // Published to customs: customs never learns of the case.
      const input = bulletinInput({ tlp: 'AMBER_STRICT', recipientOrganisationIds: [customs], indicators: [] });
      await t.gql(
        `mutation($id: ID!, $input: BulletinInput!) { updateDraft(id: $id, input: $input) { id } }`,
        { id: draft.id, input },
        policeAdmin.token,
      );
      await t.gql(`mutation($id: ID!) { publishBulletin(id: $id) { id } }`, { id: draft.id }, policeAdmin.token);
      expect((await t.gql(link, { id: draft.id }, customsAdmin.token)).data.bulletin.sourceCaseId).toBeNull();

      // The reporter reads the case as before: nothing says a bulletin came of it.
      const seen = (await byReceipt(t, BY_RECEIPT, { receipt })).data.reportByReceipt;
      expect(JSON.stringify(seen)).not.toMatch(new RegExp(`bulletin|${draft.id}`, 'i'));
    });
  });
});
