import { Client } from 'pg';
import { MemberRole, OrganisationType } from '../src/common/organisation-type';
import { VettingRemindersService } from '../src/vetting/vetting-reminders.service';
import { VettingRetentionService } from '../src/vetting/vetting-retention.service';
import { dumpDatabase, filesContaining } from './helpers/dump';
import { makeOrganisation, member, TestUser } from './helpers/factory';
import { platformAdmin } from './helpers/platform-admin';
import { codeOf, GqlResult, startTestApp, TestApp } from './helpers/test-app';

const RECORD = `mutation($input: RecordVettingInput!) { recordVetting(input: $input) { id status level reasonCode subject { fullName documentNumber } } }`;
const GET = `query($id: ID!) {
  vettingRecord(id: $id) {
    id status level reasonCode validUntil subject { fullName dateOfBirth documentNumber issuingCountry }
    vettingAuthority { id name } employerOrganisation { id }
    history { kind status reasonCode note changedByUserId }
  }
}`;
const LIST = `query($filter: VettingRecordFilter, $after: String) {
  vettingRecords(first: 100, filter: $filter, after: $after) { edges { node { id status } } pageInfo { hasNextPage endCursor } }
}`;
const CHECK = `query($d: String!, $c: String!) { checkVettingStatus(documentNumber: $d, issuingCountry: $c) { status level validUntil vettingAuthority { id name } } }`;
const CROSS = `query($subjects: [VettingSubjectKeyInput!]!) { crossMatchSubjects(subjects: $subjects) { index status contactOrganisation { id name } } }`;
const CHANGE = `mutation($id: ID!, $status: VettingStatus!, $reasonCode: VettingReasonCode, $note: String!) {
  changeVettingStatus(id: $id, status: $status, reasonCode: $reasonCode, note: $note) { id status reasonCode }
}`;
const RENEW = `mutation($id: ID!, $validUntil: DateTime!) { renewVetting(id: $id, validUntil: $validUntil) { id status validUntil } }`;
const EVENTS = `query($filter: AuditEventFilter) { auditEvents(first: 100, filter: $filter) { edges { node { action actorOrganisationId subjectOrganisationId objectId details } } } }`;

const inAYear = () => new Date(Date.now() + 365 * 86_400_000).toISOString();
let serial = 0;
/** A subject with identity strings unique to this run, so a dump can be searched for them. */
function person(country = 'NL') {
  const n = `${Date.now() % 1_000_000}${++serial}`.padStart(8, '0');
  return {
    documentNumber: `XK${n}`,
    issuingCountry: country,
    fullName: `Canary Person ${n}`,
    dateOfBirth: `19${50 + (serial % 40)}-0${1 + (serial % 9)}-1${serial % 10}`,
  };
}

describe('vetting records, badge checks and cross-matching', () => {
  let t: TestApp;
  let authorityA: TestUser; // port authority NLRTM, analyst
  let adminA: TestUser;
  let memberA: TestUser;
  let authorityB: TestUser; // police BEANR, analyst
  let adminB: TestUser;
  let employerAnalyst: TestUser; // logistics provider NLRTM: employs the drivers
  let employerAdmin: TestUser;
  let employerMember: TestUser;
  let terminal: TestUser; // terminal operator NLRTM: admitted by A's rule for badge checks
  let terminalHamburg: TestUser; // terminal operator DEHAM: outside the rule's port
  let shipper: TestUser; // shipping company NLRTM: outside the rule's types
  let platform: string;
  let ruleId: string;
  const subjects: Record<string, ReturnType<typeof person>> = {};
  const records: Record<string, string> = {};

  async function record(
    by: TestUser,
    subject: ReturnType<typeof person>,
    extra: Record<string, unknown>,
  ): Promise<GqlResult> {
    return t.gql(
      RECORD,
      { input: { ...subject, employerOrganisationId: employerAdmin.organisationId, level: 'BASIC', ...extra } },
      by.token,
    );
  }
  const key = (s: { documentNumber: string; issuingCountry: string }) => ({
    documentNumber: s.documentNumber,
    issuingCountry: s.issuingCountry,
  });
  const check = (s: { documentNumber: string; issuingCountry: string }, by: TestUser) =>
    t.gql(CHECK, { d: s.documentNumber, c: s.issuingCountry }, by.token);

  beforeAll(async () => {
    t = await startTestApp();
    const orgA = await makeOrganisation(t, OrganisationType.PORT_AUTHORITY, ['NLRTM']);
    const orgB = await makeOrganisation(t, OrganisationType.POLICE, ['BEANR']);
    const employer = await makeOrganisation(t, OrganisationType.LOGISTICS_PROVIDER, ['NLRTM']);
    [authorityA, adminA, memberA] = await Promise.all(
      [MemberRole.ANALYST, MemberRole.ORG_ADMIN, MemberRole.MEMBER].map((r) => member(t, orgA, r)),
    );
    [authorityB, adminB] = await Promise.all([MemberRole.ANALYST, MemberRole.ORG_ADMIN].map((r) => member(t, orgB, r)));
    [employerAnalyst, employerAdmin, employerMember] = await Promise.all(
      [MemberRole.ANALYST, MemberRole.ORG_ADMIN, MemberRole.MEMBER].map((r) => member(t, employer, r)),
    );
    terminal = await member(t, await makeOrganisation(t, OrganisationType.TERMINAL_OPERATOR, ['NLRTM']));
    terminalHamburg = await member(t, await makeOrganisation(t, OrganisationType.TERMINAL_OPERATOR, ['DEHAM']));
    shipper = await member(
      t,
      await makeOrganisation(t, OrganisationType.SHIPPING_COMPANY, ['NLRTM']),
      MemberRole.ANALYST,
    );
    platform = await platformAdmin(t);

    // "Terminal operators in NLRTM may check BASIC and ENHANCED vetting statuses we issue."
    const rule = await t.gql(
      `mutation($input: SharingRuleInput!) { createSharingRule(input: $input) { id } }`,
      {
        input: {
          subject: 'VETTING_STATUS',
          categories: ['BASIC', 'ENHANCED'],
          maxTlp: 'AMBER',
          audience: { organisationTypes: ['TERMINAL_OPERATOR'], ports: ['NLRTM'] },
        },
      },
      adminA.token,
    );
    ruleId = rule.data.createSharingRule.id;

    for (const [key, by, extra] of [
      ['driver', authorityA, { status: 'CLEARED', validUntil: inAYear(), note: 'Interviewed Canary' }],
      ['critical', authorityA, { status: 'CLEARED', level: 'SECURITY_CRITICAL', validUntil: inAYear() }],
      ['refusedByB', authorityB, { status: 'REFUSED', reasonCode: 'LINKS_TO_ORGANISED_CRIME', note: 'Known courier' }],
    ] as const) {
      subjects[key] = person();
      const r = await record(by, subjects[key], extra);
      if (!r.data) throw new Error(JSON.stringify(r.errors));
      records[key] = r.data.recordVetting.id;
    }
  });
  afterAll(() => t.close());

  describe('recording', () => {
    it('lets only analysts and admins of a vetting authority record, and refuses bad input without writing anything', async () => {
      const count = async () => Number((await t.dataSource.query(`SELECT count(*) FROM vetting_records`))[0].count);
      const before = await count();
      const cases: [TestUser, Record<string, unknown>, string, string?][] = [
        [memberA, { status: 'PENDING' }, 'FORBIDDEN'],
        [employerAnalyst, { status: 'PENDING' }, 'FORBIDDEN'],
        [terminal, { status: 'PENDING' }, 'FORBIDDEN'],
        [authorityA, { documentNumber: '12', status: 'PENDING' }, 'BAD_USER_INPUT', 'input.documentNumber'],
        [authorityA, { issuingCountry: 'N1', status: 'PENDING' }, 'BAD_USER_INPUT', 'input.issuingCountry'],
        [authorityA, { dateOfBirth: '1990-02-30', status: 'PENDING' }, 'BAD_USER_INPUT', 'input.dateOfBirth'],
        [authorityA, { status: 'CLEARED' }, 'BAD_USER_INPUT', 'input.validUntil'],
        [authorityA, { status: 'REFUSED' }, 'BAD_USER_INPUT', 'input.reasonCode'],
        [authorityA, { status: 'PENDING', reasonCode: 'OTHER' }, 'BAD_USER_INPUT', 'input.reasonCode'],
        [authorityA, { status: 'REVOKED', reasonCode: 'OTHER' }, 'BAD_USER_INPUT', 'input.status'],
        [
          authorityA,
          { status: 'PENDING', employerOrganisationId: '00000000-0000-4000-8000-000000000000' },
          'BAD_USER_INPUT',
          'input.employerOrganisationId',
        ],
      ];
      for (const [by, extra, code, field] of cases) {
        const r = await record(by, { ...person(), ...extra }, extra);
        expect([codeOf(r), r.errors?.[0]?.extensions?.field]).toEqual([code, field]);
      }
      // The same subject (written differently), authority and employer: one record, renewed rather than duplicated.
      const again = {
        ...subjects.driver,
        documentNumber: subjects.driver.documentNumber.toLowerCase().replace(/^(..)/, '$1-'),
      };
      expect(codeOf(await record(authorityA, again, { status: 'PENDING' }))).toBe('CONFLICT');
      expect(await count()).toBe(before);
    });
  });

  describe('visibility matrix', () => {
    it('shows a record, with its identity, to the vetting authority and the employer only; restricted fields to the authority', async () => {
      const readers: [string, TestUser, string[]][] = [
        ['authority A analyst', authorityA, ['driver', 'critical']],
        ['authority A admin', adminA, ['driver', 'critical']],
        ['authority A member', memberA, []],
        ['authority B analyst', authorityB, ['refusedByB']],
        ['employer analyst', employerAnalyst, ['driver', 'critical', 'refusedByB']],
        ['employer member', employerMember, []],
        ['terminal in the rule', terminal, []],
        ['terminal outside the port', terminalHamburg, []],
        ['shipper', shipper, []],
      ];
      for (const [who, user, expected] of readers) {
        const listed =
          (await t.gql(LIST, {}, user.token)).data?.vettingRecords.edges.map(
            (e: { node: { id: string } }) => e.node.id,
          ) ?? [];
        expect([who, [...listed].sort()]).toEqual([who, expected.map((k) => records[k]).sort()]);
        for (const key of Object.keys(records)) {
          const r = await t.gql(GET, { id: records[key] }, user.token);
          expect([who, key, codeOf(r)]).toEqual([who, key, expected.includes(key) ? 'OK' : 'NOT_FOUND']);
        }
      }
      expect(codeOf(await t.gql(GET, { id: records.driver }, platform))).toBe('NOT_FOUND');

      const byAuthority = (await t.gql(GET, { id: records.refusedByB }, authorityB.token)).data.vettingRecord;
      expect(byAuthority).toMatchObject({
        status: 'REFUSED',
        reasonCode: 'LINKS_TO_ORGANISED_CRIME',
        subject: subjects.refusedByB,
      });
      expect(byAuthority.history).toEqual([
        {
          kind: 'RECORDED',
          status: 'REFUSED',
          reasonCode: 'LINKS_TO_ORGANISED_CRIME',
          note: 'Known courier',
          changedByUserId: authorityB.id,
        },
      ]);
      const byEmployer = (await t.gql(GET, { id: records.refusedByB }, employerAnalyst.token)).data.vettingRecord;
      expect(byEmployer).toMatchObject({ status: 'REFUSED', reasonCode: null, subject: subjects.refusedByB });
      expect(byEmployer.history).toEqual([
        { kind: 'RECORDED', status: 'REFUSED', reasonCode: null, note: null, changedByUserId: null },
      ]);
    });

    it('answers badge checks with status and validity to the organisations the rule admits, and NOT_FOUND to everyone else', async () => {
      const driver = subjects.driver;
      const written = {
        documentNumber: ` ${driver.documentNumber.slice(0, 4).toLowerCase()} ${driver.documentNumber.slice(4)} `,
        issuingCountry: 'nl',
      };
      const ok = await check(written, terminal);
      expect(ok.data.checkVettingStatus).toMatchObject({
        status: 'CLEARED',
        level: 'BASIC',
        vettingAuthority: { id: authorityA.organisationId },
      });
      const expectations: [string, TestUser, keyof typeof subjects, string][] = [
        ['terminal in the rule, BASIC', terminal, 'driver', 'OK'],
        ['terminal in the rule, SECURITY_CRITICAL (level not shared)', terminal, 'critical', 'NOT_FOUND'],
        ['terminal outside the port', terminalHamburg, 'driver', 'NOT_FOUND'],
        ['shipper outside the rule, real cleared subject', shipper, 'driver', 'NOT_FOUND'],
        ['other authority', authorityB, 'driver', 'NOT_FOUND'],
        ['employer member', employerMember, 'critical', 'OK'],
        ['authority member', memberA, 'driver', 'OK'],
        ['terminal, refused by an authority without a rule', terminal, 'refusedByB', 'NOT_FOUND'],
      ];
      for (const [who, user, key, code] of expectations)
        expect([who, codeOf(await check(subjects[key], user))]).toEqual([who, code]);
      const unknown = await check(person(), terminal);
      const hidden = await check(driver, shipper);
      expect(unknown.errors![0]).toEqual(hidden.errors![0]);
      // The authority sees who checked its subject; the miss is audited too.
      const events = (await t.gql(EVENTS, { filter: { action: 'checkVettingStatus' } }, adminA.token)).data.auditEvents
        .edges;
      expect(events.map((e: { node: { objectId: string } }) => e.node.objectId)).toContain(records.driver);
    });

    it('stops badge checks as soon as the rule is deleted', async () => {
      await t.gql(`mutation($id: ID!) { deleteSharingRule(id: $id) }`, { id: ruleId }, adminA.token);
      expect(codeOf(await check(subjects.driver, terminal))).toBe('NOT_FOUND');
      const rule = await t.gql(
        `mutation($input: SharingRuleInput!) { createSharingRule(input: $input) { id } }`,
        {
          input: {
            subject: 'VETTING_STATUS',
            categories: ['BASIC', 'ENHANCED'],
            maxTlp: 'AMBER',
            audience: { organisationTypes: ['TERMINAL_OPERATOR'], ports: ['NLRTM'] },
          },
        },
        adminA.token,
      );
      ruleId = rule.data.createSharingRule.id;
      expect(codeOf(await check(subjects.driver, terminal))).toBe('OK');
    });
  });

  describe('cross-matching', () => {
    it('tells an authority which subjects another authority refused, revoked or suspended, and whom to contact, nothing else', async () => {
      const refused = subjects.refusedByB;
      const r = await t.gql(
        CROSS,
        {
          subjects: [
            { documentNumber: refused.documentNumber, issuingCountry: 'NL' },
            { documentNumber: subjects.driver.documentNumber, issuingCountry: 'NL' }, // cleared by A itself
            { documentNumber: 'ZZ00000000', issuingCountry: 'NL' },
            { documentNumber: refused.documentNumber.replace(/(\d{3})/, '$1-').toLowerCase(), issuingCountry: 'nl' },
            { documentNumber: refused.documentNumber, issuingCountry: 'BE' }, // another country's document
          ],
        },
        authorityA.token,
      );
      expect(r.data.crossMatchSubjects).toEqual([
        {
          index: 0,
          status: 'REFUSED',
          contactOrganisation: expect.objectContaining({ id: authorityB.organisationId }),
        },
        {
          index: 3,
          status: 'REFUSED',
          contactOrganisation: expect.objectContaining({ id: authorityB.organisationId }),
        },
      ]);
      // B's own refusal is not reported back to B; a clearance is never a hit.
      expect(
        (await t.gql(CROSS, { subjects: [key(refused), key(subjects.driver)] }, authorityB.token)).data
          .crossMatchSubjects,
      ).toEqual([]);
      for (const user of [terminal, shipper, employerAnalyst, memberA])
        expect(codeOf(await t.gql(CROSS, { subjects: [key(refused)] }, user.token))).toBe('FORBIDDEN');
      expect(
        codeOf(await t.gql(CROSS, { subjects: [{ documentNumber: '!!', issuingCountry: 'NL' }] }, authorityA.token)),
      ).toBe('BAD_USER_INPUT');
    });

    it('records the question in the asking trail and the match in the answering trail', async () => {
      const asked = (await t.gql(EVENTS, { filter: { action: 'crossMatchSubjects' } }, adminA.token)).data.auditEvents
        .edges;
      expect(asked[0].node).toMatchObject({
        actorOrganisationId: authorityA.organisationId,
        details: { submitted: 5, hits: 2, contactOrganisationIds: [authorityB.organisationId] },
      });
      const answered = (await t.gql(EVENTS, { filter: { action: 'crossMatchAnswered' } }, adminB.token)).data
        .auditEvents.edges;
      expect(answered[0].node).toMatchObject({
        actorOrganisationId: authorityA.organisationId,
        subjectOrganisationId: authorityB.organisationId,
        details: { recordIds: [records.refusedByB] },
      });
    });

    it('matches 1,000 subjects at once with exactly the right hits', async () => {
      const batch = Array.from({ length: 1000 }, (_, i) => ({
        documentNumber: `BULK${String(i).padStart(6, '0')}`,
        issuingCountry: 'DE',
      }));
      const adverse = [3, 250, 251, 999];
      for (const i of adverse) {
        const r = await record(
          authorityB,
          { ...person('DE'), documentNumber: batch[i].documentNumber },
          { status: 'REFUSED', reasonCode: 'CRIMINAL_RECORD' },
        );
        expect(codeOf(r)).toBe('OK');
      }
      await record(
        authorityB,
        { ...person('DE'), documentNumber: batch[500].documentNumber },
        { status: 'CLEARED', validUntil: inAYear() },
      );
      const r = await t.gql(CROSS, { subjects: batch }, authorityA.token);
      expect(r.data.crossMatchSubjects.map((h: { index: number }) => h.index)).toEqual(adverse);
      expect(codeOf(await t.gql(CROSS, { subjects: [...batch, batch[0]] }, authorityA.token))).toBe('BAD_USER_INPUT');
      expect(codeOf(await t.gql(CROSS, { subjects: [] }, authorityA.token))).toBe('BAD_USER_INPUT');
    });

    it('reports a revocation by the other side once it happens', async () => {
      const changed = await t.gql(
        CHANGE,
        { id: records.driver, status: 'REVOKED', reasonCode: 'INTELLIGENCE', note: 'Seen with extraction team' },
        authorityA.token,
      );
      expect(changed.data.changeVettingStatus).toMatchObject({ status: 'REVOKED', reasonCode: 'INTELLIGENCE' });
      const r = await t.gql(CROSS, { subjects: [key(subjects.driver)] }, authorityB.token);
      expect(r.data.crossMatchSubjects).toEqual([
        {
          index: 0,
          status: 'REVOKED',
          contactOrganisation: expect.objectContaining({ id: authorityA.organisationId }),
        },
      ]);
      expect(codeOf(await t.gql(CHANGE, { id: records.driver, status: 'CLEARED', note: 'no' }, authorityA.token))).toBe(
        'CONFLICT',
      );
      expect(
        codeOf(
          await t.gql(
            CHANGE,
            { id: records.driver, status: 'SUSPENDED', reasonCode: 'OTHER', note: 'x' },
            employerAnalyst.token,
          ),
        ),
      ).toBe('FORBIDDEN');
      expect(
        codeOf(
          await t.gql(
            CHANGE,
            { id: records.driver, status: 'SUSPENDED', reasonCode: 'OTHER', note: 'x' },
            shipper.token,
          ),
        ),
      ).toBe('NOT_FOUND');
    });
  });

  describe('expiry', () => {
    it('reads EXPIRED everywhere once validUntil has passed, and CLEARED again after renewal', async () => {
      const subject = person();
      const id = (await record(authorityA, subject, { status: 'CLEARED', validUntil: inAYear() })).data.recordVetting
        .id;
      await t.dataSource.query(
        `UPDATE vetting_records SET valid_from = now() - interval '2 days', valid_until = now() - interval '1 second' WHERE id = $1`,
        [id],
      );
      expect((await t.gql(GET, { id }, authorityA.token)).data.vettingRecord.status).toBe('EXPIRED');
      expect((await t.gql(GET, { id }, employerAnalyst.token)).data.vettingRecord.status).toBe('EXPIRED');
      expect((await check(subject, terminal)).data.checkVettingStatus.status).toBe('EXPIRED');
      const ids = async (status: string) =>
        (await t.gql(LIST, { filter: { status } }, authorityA.token)).data.vettingRecords.edges.map(
          (e: { node: { id: string } }) => e.node.id,
        );
      expect(await ids('EXPIRED')).toContain(id);
      expect(await ids('CLEARED')).not.toContain(id);
      const listed = (await t.gql(LIST, {}, employerAnalyst.token)).data.vettingRecords.edges.find(
        (e: { node: { id: string } }) => e.node.id === id,
      );
      expect(listed.node.status).toBe('EXPIRED');
      expect(codeOf(await t.gql(CHANGE, { id, status: 'CLEARED', note: 'still fine' }, authorityA.token))).toBe(
        'CONFLICT',
      );
      const renewed = await t.gql(RENEW, { id, validUntil: inAYear() }, authorityA.token);
      expect(renewed.data.renewVetting.status).toBe('CLEARED');
      expect(
        (await t.gql(GET, { id }, authorityA.token)).data.vettingRecord.history.map((h: { kind: string }) => h.kind),
      ).toEqual(['RECORDED', 'RENEWED']);
    });

    it('lists records expiring before a date', async () => {
      const soon = (
        await record(authorityA, person(), {
          status: 'CLEARED',
          validUntil: new Date(Date.now() + 5 * 86_400_000).toISOString(),
        })
      ).data.recordVetting.id;
      const r = await t.gql(
        LIST,
        { filter: { expiringBefore: new Date(Date.now() + 10 * 86_400_000).toISOString() } },
        authorityA.token,
      );
      expect(r.data.vettingRecords.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([soon]);
    });
  });

  describe('reminders', () => {
    it("mails each organisation's admins once a day about records expiring soon, naming no one", async () => {
      const reminders = t.app.get(VettingRemindersService);
      t.smtp.mails.length = 0;
      const mailed = await reminders.sendReminders();
      expect(mailed).toBe(2); // the authority and the employer
      const to = t.smtp.mails
        .map((m) => m.to)
        .flat()
        .sort();
      expect(to).toEqual([adminA.email, employerAdmin.email].sort());
      for (const mail of t.smtp.mails) {
        expect(mail.subject).toMatch(/1 vetting record expiring soon/);
        for (const s of Object.values(subjects)) expect(mail.text).not.toContain(s.fullName);
      }
      expect(await reminders.sendReminders()).toBe(0);
      expect(t.smtp.mails).toHaveLength(2);
    });
  });

  describe('at rest', () => {
    it('keeps no clear name, date of birth or document number in a database dump or the cluster files', async () => {
      const { tool, text } = await dumpDatabase(t.urls.superuser);
      const needles = Object.values(subjects).flatMap((s) => [s.fullName, s.dateOfBirth, s.documentNumber]);
      expect(needles.filter((n) => text.includes(n))).toEqual([]);
      expect(text).toContain('vetting_records');
      const client = new Client({ connectionString: t.urls.superuser });
      await client.connect();
      await client.query('CHECKPOINT');
      const [{ data_directory }] = (await client.query('SHOW data_directory')).rows;
      await client.end();
      expect(filesContaining(data_directory, needles)).toEqual([]);
      process.stdout.write(
        `\n[vetting] ${tool}: ${text.length} characters and the cluster files, ${needles.length} identity strings, 0 found\n`,
      );
    });
  });

  describe('retention', () => {
    const RETENTION = `{ vettingRetention { days dueNow lastPurgedAt lastPurged purgedTotal } }`;
    const SET = `mutation($days: Int!) { setVettingRetention(days: $days) { days dueNow } }`;
    const ENDED = `mutation($id: ID!, $on: String!) { recordEmploymentEnd(id: $id, endedOn: $on) { id employmentEndedOn subject { documentNumberEnding } history { kind note } } }`;
    const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);

    it("is set by the authority's admins only, within bounds, and read by its analysts", async () => {
      expect((await t.gql(RETENTION, {}, authorityA.token)).data.vettingRetention).toMatchObject({ days: 730 });
      for (const [by, days, code] of [
        [authorityA, 90, 'FORBIDDEN'],
        [employerAdmin, 90, 'FORBIDDEN'],
        [memberA, 90, 'FORBIDDEN'],
        [adminA, 10, 'BAD_USER_INPUT'],
        [adminA, 5000, 'BAD_USER_INPUT'],
      ] as const)
        expect(codeOf(await t.gql(SET, { days }, by.token))).toBe(code);
      expect(codeOf(await t.gql(RETENTION, {}, employerAdmin.token))).toBe('FORBIDDEN');
      expect((await t.gql(SET, { days: 30 }, adminA.token)).data.setVettingRetention.days).toBe(30);
    });

    it('records the end of employment (authority only, a real date) and purges what ended longer ago, counting it', async () => {
      const left = person();
      const leftId = (await record(authorityA, left, { status: 'CLEARED', validUntil: inAYear() })).data.recordVetting
        .id;
      const recent = (await record(authorityA, person(), { status: 'CLEARED', validUntil: inAYear() })).data
        .recordVetting.id;
      const refusedLongAgo = (await record(authorityA, person(), { status: 'REFUSED', reasonCode: 'OTHER' })).data
        .recordVetting.id;
      const otherAuthority = (await record(authorityB, person(), { status: 'REFUSED', reasonCode: 'OTHER' })).data
        .recordVetting.id;
      expect(codeOf(await t.gql(ENDED, { id: leftId, on: daysAgo(40) }, employerAdmin.token))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(ENDED, { id: leftId, on: '2026-02-30' }, authorityA.token))).toBe('BAD_USER_INPUT');
      const ended = (await t.gql(ENDED, { id: leftId, on: daysAgo(40) }, authorityA.token)).data.recordEmploymentEnd;
      expect(ended).toMatchObject({
        employmentEndedOn: daysAgo(40),
        subject: { documentNumberEnding: left.documentNumber.slice(-3) },
      });
      expect(ended.history.at(-1)).toEqual({ kind: 'EMPLOYMENT_ENDED', note: `Employment ended on ${daysAgo(40)}` });
      await t.gql(ENDED, { id: recent, on: daysAgo(10) }, authorityA.token);
      for (const id of [refusedLongAgo, otherAuthority])
        await t.dataSource.query(
          `UPDATE vetting_records SET status_changed_at = now() - interval '31 days' WHERE id = $1`,
          [id],
        );
      expect((await t.gql(RETENTION, {}, authorityA.token)).data.vettingRetention.dueNow).toBe(2);

      const purged = await t.app.get(VettingRetentionService).purge();
      expect(purged).toEqual([{ organisation_id: adminA.organisationId, records: 2 }]);
      const left_ = await t.dataSource.query(`SELECT id FROM vetting_records WHERE id = ANY($1)`, [
        [leftId, recent, refusedLongAgo, otherAuthority],
      ]);
      expect(left_.map((r: { id: string }) => r.id).sort()).toEqual([recent, otherAuthority].sort());
      expect(
        (
          await t.dataSource.query(`SELECT count(*)::int AS n FROM vetting_status_changes WHERE record_id = $1`, [
            leftId,
          ])
        )[0].n,
      ).toBe(0);
      expect((await t.gql(RETENTION, {}, authorityA.token)).data.vettingRetention).toMatchObject({
        days: 30,
        dueNow: 0,
        lastPurged: 2,
        purgedTotal: 2,
      });
      const [audit] = await t.dataSource.query(
        `SELECT details FROM audit_events WHERE action = 'purgeVettingRecords' AND subject_organisation_id = $1`,
        [adminA.organisationId],
      );
      expect(audit.details).toEqual({ records: 2 });
      expect(await t.app.get(VettingRetentionService).purge()).toEqual([]);
    });
  });
});
