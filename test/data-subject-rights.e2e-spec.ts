import { PersonalDataRetentionService } from '../src/data-protection/personal-data-retention.service';
import { MemberRole, OrganisationType } from '../src/common/organisation-type';
import { GET_BULLETIN, publishBulletin } from './helpers/bulletins';
import { login, makeOrganisation, makeUser, member, TestUser } from './helpers/factory';
import { platformAdmin } from './helpers/platform-admin';
import { codeOf, startTestApp, TestApp } from './helpers/test-app';

const REGISTER = `query($org: ID) { dataProtectionRegister(organisationId: $org) { organisationId tables { table retentionDays } } }`;
const LOG = `query($filter: ProcessingLogFilter) { processingLog(first: 100, filter: $filter) {
  edges { node { seq at operation action objectType objectId actorUserId actorName justification recipients } } } }`;
const REQUESTS = `{ dataSubjectRequests(first: 20) { edges { node { kind subjectUserId subjectName handledBy outcome } } } }`;
const ERASE = `mutation($u: ID!) { eraseMember(userId: $u) { pseudonymised label steps { category action count } } }`;
const OPEN = `query($id: ID!, $why: String) { bulletin(id: $id, justification: $why) { id tlp } }`;
const PROFILE = `mutation($input: OrganisationProfileInput!) { updateOrganisationProfile(input: $input) { requiresJustification } }`;

describe("data subjects' rights and the data protection officer", () => {
  let t: TestApp;
  let authority: string;
  let police: string;
  let author: TestUser;
  let policeAdmin: TestUser;
  let policeAnalyst: TestUser;
  let policeDpo: TestUser;
  let authorityDpo: TestUser;
  let redId: string;

  beforeAll(async () => {
    t = await startTestApp();
    authority = await makeOrganisation(t, OrganisationType.PORT_AUTHORITY, ['NLRTM']);
    police = await makeOrganisation(t, OrganisationType.POLICE, ['NLRTM']);
    author = await member(t, authority, MemberRole.ANALYST);
    policeAdmin = await member(t, police, MemberRole.ORG_ADMIN);
    policeAnalyst = await member(t, police, MemberRole.ANALYST);
    policeDpo = await member(t, police, MemberRole.DPO);
    authorityDpo = await member(t, authority, MemberRole.DPO);
    redId = await publishBulletin(t, author.token, { tlp: 'RED', recipientUserIds: [policeAnalyst.id] });
  });
  afterAll(() => t.close());

  describe('the DPO role', () => {
    it("reads its own organisation's register, not another's, and changes nothing", async () => {
      const own = await t.gql(REGISTER, {}, policeDpo.token);
      expect(own.data.dataProtectionRegister.organisationId).toBe(police);
      expect(codeOf(await t.gql(REGISTER, { org: authority }, policeDpo.token))).toBe('NOT_FOUND');
      expect(codeOf(await t.gql(REGISTER, {}, policeAnalyst.token))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(REGISTER, {}, policeAdmin.token))).toBe('FORBIDDEN');
      const amber = await publishBulletin(t, author.token, { tlp: 'AMBER', recipientOrganisationIds: [police] });
      expect(codeOf(await t.gql(GET_BULLETIN, { id: amber }, policeDpo.token))).toBe('OK');
      const ack = await t.gql(
        `mutation($id: ID!) { acknowledgeBulletin(id: $id) { id } }`,
        { id: amber },
        policeDpo.token,
      );
      expect(codeOf(ack)).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(PROFILE, { input: { ports: ['NLRTM'] } }, policeDpo.token))).toBe('FORBIDDEN');
    });
  });

  describe('justification and the processing log (LED art. 25)', () => {
    it('asks a justification before opening RED when the organisation requires it, and logs it', async () => {
      expect(codeOf(await t.gql(OPEN, { id: redId }, policeAnalyst.token))).toBe('OK');
      const set = await t.gql(PROFILE, { input: { ports: ['NLRTM'], requiresJustification: true } }, policeAdmin.token);
      expect(set.data.updateOrganisationProfile.requiresJustification).toBe(true);
      const refused = await t.gql(OPEN, { id: redId }, policeAnalyst.token);
      expect(refused.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', justificationRequired: true });
      expect(codeOf(await t.gql(OPEN, { id: redId, why: 'x' }, policeAnalyst.token))).toBe('BAD_USER_INPUT');
      const opened = await t.gql(OPEN, { id: redId, why: 'Case 2026/114: crane driver' }, policeAnalyst.token);
      expect(opened.data.bulletin).toEqual({ id: redId, tlp: 'RED' });
      // Someone outside the audience learns nothing: NOT_FOUND, as for any bulletin they cannot read.
      expect(codeOf(await t.gql(OPEN, { id: redId }, policeAdmin.token))).toBe('NOT_FOUND');
      // The author's own organisation asks nothing of it.
      expect(codeOf(await t.gql(OPEN, { id: redId }, author.token))).toBe('OK');
    });

    it('shows the DPO every operation with who, when, why and to whom; nobody else reads it', async () => {
      const disclosed = await publishBulletin(t, policeAnalyst.token, {
        tlp: 'AMBER',
        recipientOrganisationIds: [authority],
      });
      const log = (await t.gql(LOG, {}, policeDpo.token)).data.processingLog.edges.map(
        (e: { node: Record<string, unknown> }) => e.node,
      );
      expect(log).toContainEqual(
        expect.objectContaining({
          operation: 'CONSULTATION',
          action: 'readBulletin',
          objectId: redId,
          actorUserId: policeAnalyst.id,
          actorName: expect.any(String),
          justification: 'Case 2026/114: crane driver',
        }),
      );
      const authorityName = (await t.dataSource.query(`SELECT name FROM organisations WHERE id = $1`, [authority]))[0]
        .name;
      expect(log).toContainEqual(
        expect.objectContaining({
          operation: 'DISCLOSURE',
          action: 'publishBulletin',
          recipients: `AMBER: ${authorityName}`,
        }),
      );
      expect(log).toContainEqual(expect.objectContaining({ operation: 'COLLECTION', action: 'createBulletin' }));
      expect(log.some((e: { objectId: string }) => e.objectId === disclosed)).toBe(true);
      // Ids, names and reasons: never a bulletin's text.
      expect(JSON.stringify(log)).not.toContain('Crane driver approached');
      // Another organisation's operations are not in it.
      expect(log.some((e: { actorUserId: string }) => e.actorUserId === author.id)).toBe(false);
      const consultations = (await t.gql(LOG, { filter: { operation: 'CONSULTATION' } }, policeDpo.token)).data
        .processingLog.edges;
      expect(consultations.every((e: { node: { operation: string } }) => e.node.operation === 'CONSULTATION')).toBe(
        true,
      );
      for (const who of [policeAdmin, policeAnalyst]) expect(codeOf(await t.gql(LOG, {}, who.token))).toBe('FORBIDDEN');
      expect(
        (await t.gql(LOG, {}, authorityDpo.token)).data.processingLog.edges.some(
          (e: { node: { actorUserId: string } }) => e.node.actorUserId === policeAnalyst.id,
        ),
      ).toBe(false);
    });
  });

  describe('access and erasure', () => {
    it("gives a person everything held about them, and nobody else's data", async () => {
      const colleague = await member(t, police, MemberRole.MEMBER);
      // The admin acts on the colleague: the admin's own events then name the colleague's membership.
      await t.gql(
        `mutation($u: ID!, $r: MemberRole!) { changeMemberRole(userId: $u, role: $r) { userId } }`,
        { u: colleague.id, r: 'ANALYST' },
        policeAdmin.token,
      );
      const r = await t.gql(`{ myPersonalData }`, {}, policeAdmin.token);
      expect(r.errors).toBeUndefined();
      const data = r.data.myPersonalData;
      expect(data.account).toMatchObject({ id: policeAdmin.id, email: policeAdmin.email });
      expect(data.memberships).toEqual([expect.objectContaining({ organisationId: police, role: 'ORG_ADMIN' })]);
      expect(data.sessions.length).toBeGreaterThan(0);
      expect(data.auditEvents.some((e: { action: string }) => e.action === 'updateOrganisationProfile')).toBe(true);
      const text = JSON.stringify(data);
      for (const other of [colleague, policeAnalyst, policeDpo, author]) {
        expect(text).not.toContain(other.id);
        expect(text).not.toContain(other.email);
      }
      const mine = (await t.gql(`{ myPersonalData }`, {}, author.token)).data.myPersonalData;
      expect(mine.authoredBulletins.map((b: { id: string }) => b.id)).toContain(redId);
      expect(JSON.stringify(mine)).not.toContain('Crane driver approached');
      const requests = (await t.gql(REQUESTS, {}, policeDpo.token)).data.dataSubjectRequests.edges;
      expect(requests[0].node).toMatchObject({ kind: 'ACCESS', subjectUserId: policeAdmin.id });
    });

    it('erases a member: pseudonymised where records stay, credentials and sessions gone, stated per category', async () => {
      const leaving = await member(t, police, MemberRole.ANALYST);
      const bulletin = await publishBulletin(t, leaving.token, { tlp: 'GREEN' });
      expect(codeOf(await t.gql(ERASE, { u: leaving.id }, policeAnalyst.token))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(ERASE, { u: author.id }, policeAdmin.token))).toBe('NOT_FOUND');
      const r = await t.gql(ERASE, { u: leaving.id }, policeAdmin.token);
      expect(r.errors).toBeUndefined();
      const outcome = r.data.eraseMember;
      expect(outcome.pseudonymised).toBe(true);
      expect(outcome.label).toMatch(/^Former member #\d+ of /);
      expect(outcome.steps).toEqual(
        expect.arrayContaining([
          { category: 'membership', action: 'DELETED', count: null },
          { category: 'account', action: 'PSEUDONYMISED', count: null },
          { category: 'sessions', action: 'DELETED', count: 1 },
          { category: 'auditEvents', action: 'KEPT_PSEUDONYMISED', count: null },
        ]),
      );
      const [user] = await t.dataSource.query(
        `SELECT email, display_name, password_hash, erased_at FROM users WHERE id = $1`,
        [leaving.id],
      );
      expect(user).toMatchObject({ display_name: outcome.label, password_hash: null });
      expect(user.email).not.toContain(leaving.email.split('@')[0]);
      expect(codeOf(await t.gql(GET_BULLETIN, { id: bulletin }, leaving.token))).toBe('UNAUTHENTICATED');
      await expect(login(t, leaving.email)).rejects.toThrow(/login failed/);
      // The bulletin the person wrote stays, and so does the trail of what they did.
      expect((await t.dataSource.query(`SELECT author_user_id FROM bulletins WHERE id = $1`, [bulletin]))[0]).toEqual({
        author_user_id: leaving.id,
      });
      expect(
        Number(
          (await t.dataSource.query(`SELECT count(*) AS n FROM audit_events WHERE actor_user_id = $1`, [leaving.id]))[0]
            .n,
        ),
      ).toBeGreaterThan(0);
      const requests = (await t.gql(REQUESTS, {}, policeDpo.token)).data.dataSubjectRequests.edges;
      expect(requests[0].node).toMatchObject({
        kind: 'ERASURE',
        subjectUserId: leaving.id,
        subjectName: outcome.label,
        handledBy: policeAdmin.id,
      });
    });

    it('keeps the account of a member of another organisation, removing only this membership', async () => {
      const both = await member(t, police, MemberRole.MEMBER);
      await t.dataSource.query(`INSERT INTO memberships (organisation_id, user_id, role) VALUES ($1, $2, 'MEMBER')`, [
        authority,
        both.id,
      ]);
      const outcome = (await t.gql(ERASE, { u: both.id }, policeAdmin.token)).data.eraseMember;
      expect(outcome).toMatchObject({ pseudonymised: false, label: null });
      expect((await login(t, both.email, authority)).token).toBeTruthy();
    });
  });

  describe("vetting subjects' access", () => {
    it("answers from the authority's own records only, in full, and keeps the request without the identity", async () => {
      const terminal = await makeOrganisation(t, OrganisationType.TERMINAL_OPERATOR, ['NLRTM']);
      const subject = { documentNumber: `XS${Date.now() % 10_000_000}`, issuingCountry: 'NL' };
      const record = (by: TestUser, status: string) =>
        t.gql(
          `mutation($input: RecordVettingInput!) { recordVetting(input: $input) { id } }`,
          {
            input: {
              ...subject,
              fullName: 'Canary Access Subject',
              dateOfBirth: '1979-04-05',
              employerOrganisationId: terminal,
              level: 'BASIC',
              status,
              ...(status === 'REFUSED'
                ? { reasonCode: 'LINKS_TO_ORGANISED_CRIME', note: 'Known courier' }
                : { validUntil: new Date(Date.now() + 365 * 86_400_000).toISOString() }),
            },
          },
          by.token,
        );
      const ours = (await record(author, 'CLEARED')).data.recordVetting.id;
      expect(codeOf(await record(policeAnalyst, 'REFUSED'))).toBe('OK');
      const ACCESS = `query($d: String!, $c: String!) { vettingSubjectAccess(documentNumber: $d, issuingCountry: $c) {
        id status reasonCode subject { fullName documentNumber } history { kind status } } }`;
      const answer = await t.gql(ACCESS, { d: subject.documentNumber, c: 'NL' }, author.token);
      expect(answer.data.vettingSubjectAccess).toEqual([
        {
          id: ours,
          status: 'CLEARED',
          reasonCode: null,
          subject: { fullName: 'Canary Access Subject', documentNumber: subject.documentNumber },
          history: [{ kind: 'RECORDED', status: 'CLEARED' }],
        },
      ]);
      const police = (await t.gql(ACCESS, { d: subject.documentNumber, c: 'NL' }, policeAnalyst.token)).data
        .vettingSubjectAccess;
      expect(police).toEqual([expect.objectContaining({ status: 'REFUSED', reasonCode: 'LINKS_TO_ORGANISED_CRIME' })]);
      expect((await t.gql(ACCESS, { d: 'XX0000001', c: 'NL' }, author.token)).data.vettingSubjectAccess).toEqual([]);
      expect(codeOf(await t.gql(ACCESS, { d: subject.documentNumber, c: 'NL' }, policeDpo.token))).toBe('FORBIDDEN');
      const requests = (await t.gql(REQUESTS, {}, policeDpo.token)).data.dataSubjectRequests.edges;
      expect(requests[0].node).toMatchObject({ kind: 'VETTING_ACCESS', subjectUserId: null, outcome: { records: 1 } });
      expect(JSON.stringify(requests)).not.toContain(subject.documentNumber);
    });
  });

  describe('retention of accounts after leaving', () => {
    it('pseudonymises accounts ACCOUNT_RETENTION_DAYS after their last organisation, not before', async () => {
      const gone = await makeUser(t, police);
      const recent = await makeUser(t, police);
      await t.dataSource.query(`DELETE FROM memberships WHERE user_id = ANY ($1)`, [[gone.id, recent.id]]);
      const [{ left_at }] = await t.dataSource.query(`SELECT left_at FROM users WHERE id = $1`, [gone.id]);
      expect(left_at).not.toBeNull();
      await t.dataSource.query(`UPDATE users SET left_at = now() - interval '91 days' WHERE id = $1`, [gone.id]);
      await t.dataSource.query(`UPDATE users SET left_at = now() - interval '89 days' WHERE id = $1`, [recent.id]);
      const purged = await t.app.get(PersonalDataRetentionService).purge();
      expect(purged).toContainEqual({ action: 'purgeAccounts', organisation_id: null, purged: 1 });
      const rows = await t.dataSource.query(`SELECT id, display_name, erased_at FROM users WHERE id = ANY ($1)`, [
        [gone.id, recent.id],
      ]);
      const byId = Object.fromEntries(rows.map((r: { id: string }) => [r.id, r]));
      expect(byId[gone.id].display_name).toMatch(/^Former member #\d+$/);
      expect(byId[recent.id].erased_at).toBeNull();
      const [event] = await t.dataSource.query(
        `SELECT details FROM audit_events WHERE action = 'purgeAccounts' ORDER BY seq DESC LIMIT 1`,
      );
      expect(event.details).toEqual({ accounts: 1 });
      // The register shows the rule's last purge (an account pseudonymised is one purged of the person).
      const admin = await platformAdmin(t);
      const register = (
        await t.gql(`{ dataProtectionRegister { tables { table lastPurged lastPurgeAt } } }`, {}, admin)
      ).data.dataProtectionRegister;
      expect(register.tables.find((x: { table: string }) => x.table === 'users')).toMatchObject({ lastPurged: 1 });
      // Joining again clears the clock.
      await t.dataSource.query(`INSERT INTO memberships (organisation_id, user_id, role) VALUES ($1, $2, 'MEMBER')`, [
        police,
        recent.id,
      ]);
      expect((await t.dataSource.query(`SELECT left_at FROM users WHERE id = $1`, [recent.id]))[0].left_at).toBeNull();
    });
  });
});
