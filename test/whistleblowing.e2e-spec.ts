import { randomBytes } from 'node:crypto';
import { CaseHandlingService } from '../src/whistleblowing/case-handling.service';
import { CaseKeyringService } from '../src/whistleblowing/case-keyring.service';
import { CaseRemindersService } from '../src/whistleblowing/case-reminders.service';
import { MemberRole, OrganisationType } from '../src/common/organisation-type';
import { captureOutput } from './helpers/captured-output';
import { dumpDatabase, filesContaining } from './helpers/dump';
import { makeOrganisation, member, PASSWORD, TestUser } from './helpers/factory';
import { platformAdmin } from './helpers/platform-admin';
import { codeOf, startTestApp, TestApp } from './helpers/test-app';
import {
  asReporter,
  BY_RECEIPT,
  byReceipt,
  CASE,
  CASES,
  earnChallenge,
  OPT_IN,
  SET_HANDLER,
  submitReport,
} from './helpers/whistleblowing';
import { Client } from 'pg';

const AGENT = `CanaryBrowser/${randomBytes(4).toString('hex')}`;
const CANARY = `canary-${randomBytes(8).toString('hex')}`;

/** Everything the server prints while this file runs (LOG_LEVEL=verbose). */
const printed = captureOutput([process.stdout, process.stderr]);

const REPLY = `mutation($r: String!, $body: String!, $challenge: String!, $proof: String!) {
  replyAsReporter(receipt: $r, body: $body, challenge: $challenge, proof: $proof) { status messages { from body } } }`;

describe('whistleblower intake and case handling', () => {
  let t: TestApp;
  let policeAdmin: TestUser;
  let policeHandler: TestUser;
  let policeAnalyst: TestUser; // not designated
  let policeMember: TestUser;
  let customsAdmin: TestUser;
  let platform: string;
  let recoveryKey: string;
  let receipt: string;
  let caseId: string;
  const find = async (token: string) =>
    (await t.gql(CASES, {}, token)).data?.whistleblowerCases.edges.map((e: { node: { id: string } }) => e.node.id);

  beforeAll(async () => {
    t = await startTestApp({
      TRUST_PROXY: 'true',
      LOG_LEVEL: 'verbose',
      REPORTS_PER_HOUR: '1000',
      REPORT_POW_BITS: '8',
    });
    const police = await makeOrganisation(t, OrganisationType.POLICE, ['NLRTM']);
    const customs = await makeOrganisation(t, OrganisationType.CUSTOMS, ['NLRTM']);
    [policeAdmin, policeHandler, policeAnalyst, policeMember] = await Promise.all(
      [MemberRole.ORG_ADMIN, MemberRole.ANALYST, MemberRole.ANALYST, MemberRole.MEMBER].map((r) =>
        member(t, police, r),
      ),
    );
    customsAdmin = await member(t, customs, MemberRole.ORG_ADMIN);
    platform = await platformAdmin(t);
  });
  afterAll(() => t.close());

  describe('opting in', () => {
    it('creates the case key on the first opening and shows its recovery key once', async () => {
      expect(codeOf(await t.gql(OPT_IN, { accept: true }, policeHandler.token))).toBe('FORBIDDEN');
      const first = await t.gql(OPT_IN, { accept: true, days: 90 }, policeAdmin.token);
      expect(first.data.acceptWhistleblowerReports).toMatchObject({
        accepting: true,
        retentionDays: 90,
        handlerUserIds: [policeAdmin.id],
      });
      recoveryKey = first.data.acceptWhistleblowerReports.recoveryKey;
      expect(recoveryKey).toMatch(/^([0-9a-f]{4}-){15}[0-9a-f]{4}$/);
      expect(
        (await t.gql(OPT_IN, { accept: true }, policeAdmin.token)).data.acceptWhistleblowerReports.recoveryKey,
      ).toBeNull();
      await t.gql(OPT_IN, { accept: true }, customsAdmin.token);
      const recipients = (await asReporter(t, `{ reportRecipients { id name } }`)).data.reportRecipients.map(
        (o: { id: string }) => o.id,
      );
      expect(recipients).toEqual(expect.arrayContaining([policeAdmin.organisationId, customsAdmin.organisationId]));
    });

    it("designates handlers among analysts and admins, with the admin's key or the recovery key", async () => {
      const r = await t.gql(SET_HANDLER, { userId: policeHandler.id, handler: true }, policeAdmin.token);
      expect(r.data.setCaseHandler.handlerUserIds).toEqual(expect.arrayContaining([policeAdmin.id, policeHandler.id]));
      expect(codeOf(await t.gql(SET_HANDLER, { userId: policeMember.id, handler: true }, policeAdmin.token))).toBe(
        'BAD_USER_INPUT',
      );
      expect(codeOf(await t.gql(SET_HANDLER, { userId: customsAdmin.id, handler: true }, policeAdmin.token))).toBe(
        'NOT_FOUND',
      );
      // Removing and re-adding with the recovery key proves the recovery path opens the organisation key.
      await t.gql(
        SET_HANDLER,
        { userId: policeAnalyst.id, handler: true, recoveryKey: recoveryKey.toUpperCase() },
        policeAdmin.token,
      );
      expect(
        codeOf(
          await t.gql(
            SET_HANDLER,
            { userId: policeAnalyst.id, handler: true, recoveryKey: '00'.repeat(32) },
            policeAdmin.token,
          ),
        ),
      ).toBe('BAD_USER_INPUT');
      await t.gql(SET_HANDLER, { userId: policeAnalyst.id, handler: false }, policeAdmin.token);
    });
  });

  describe('a report, end to end through GraphQL', () => {
    it('takes a report with a proof of work and returns a 93-bit receipt', async () => {
      const bad = await asReporter(
        t,
        `mutation($input: SubmitReportInput!) { submitReport(input: $input) { receipt } }`,
        {
          input: {
            recipientOrganisationId: policeAdmin.organisationId,
            category: 'BRIBERY',
            text: 'x',
            challenge: 'pow.SUBMIT.1.12.x.y',
            proof: '1',
          },
        },
      );
      expect(codeOf(bad)).toBe('BAD_USER_INPUT');
      receipt = await submitReport(
        t,
        {
          recipientOrganisationId: policeAdmin.organisationId!,
          text: `Offered EUR 50,000 to move a container. ${CANARY}`,
        },
        '10.1.1.1',
        AGENT,
      );
      expect(receipt).toMatch(/^(\d{4} ){6}\d{4}$/);
      const notAccepting = await makeOrganisation(t, OrganisationType.POLICE);
      await expect(submitReport(t, { recipientOrganisationId: notAccepting, text: 'x' })).rejects.toThrow(
        /does not accept reports/,
      );
      caseId = (await find(policeHandler.token))[0];
      expect(caseId).toBeDefined();
    });

    it('lets the designated handlers read the case, and nobody else', async () => {
      const r = await t.gql(CASE, { id: caseId }, policeHandler.token);
      expect(r.data.whistleblowerCase).toMatchObject({
        status: 'NEW',
        category: 'BRIBERY',
        text: expect.stringContaining(CANARY),
      });
      for (const [who, token] of [
        ['non-handler analyst', policeAnalyst.token],
        ['member', policeMember.token],
        ["other organisation's handler", customsAdmin.token],
        ['platform admin', platform],
      ]) {
        expect([who, codeOf(await t.gql(CASE, { id: caseId }, token))]).toEqual([who, 'NOT_FOUND']);
        expect([
          who,
          codeOf(
            await t.gql(`mutation($c: ID!) { replyToReporter(caseId: $c, body: "hi") { id } }`, { c: caseId }, token),
          ),
        ]).toEqual([who, 'NOT_FOUND']);
      }
      expect(codeOf(await t.gql(CASES, {}, policeMember.token))).toBe('FORBIDDEN');
      const reads = await t.gql(
        `{ auditEvents(first: 10, filter: { action: "readWhistleblowerCase" }) { edges { node { objectId actorUserId } } } }`,
        {},
        policeAdmin.token,
      );
      expect(reads.data.auditEvents.edges[0].node).toEqual({ objectId: caseId, actorUserId: policeHandler.id });
    });

    it('carries messages both ways, keeps internal notes from the reporter, and dates without times', async () => {
      await t.gql(
        `mutation($c: ID!) { replyToReporter(caseId: $c, body: "Can you say which terminal?") { id } }`,
        { c: caseId },
        policeHandler.token,
      );
      // An answer to a new report acknowledges it: the reporter's status follows the case.
      expect((await byReceipt(t, BY_RECEIPT, { receipt }, '10.1.1.1', AGENT)).data.reportByReceipt.status).toBe(
        'IN_REVIEW',
      );
      await t.gql(
        `mutation($c: ID!) { setCaseStatus(caseId: $c, status: NEED_INFO, note: "internal: cross-check the crane roster") { status } }`,
        { c: caseId },
        policeHandler.token,
      );
      const seen = (await byReceipt(t, BY_RECEIPT, { receipt }, '10.1.1.1', AGENT)).data.reportByReceipt;
      expect(seen.status).toBe('NEED_INFO');
      expect(seen.messages).toEqual([
        { from: 'HANDLER', body: 'Can you say which terminal?', at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) },
      ]);
      const answered = await byReceipt(t, REPLY, { r: receipt.replace(/ /g, '-'), body: 'Terminal 3, night shift' });
      expect(answered.data.replyAsReporter.messages.map((m: { from: string }) => m.from)).toEqual([
        'HANDLER',
        'REPORTER',
      ]);
      const handlerView = (await t.gql(CASE, { id: caseId }, policeHandler.token)).data.whistleblowerCase;
      expect(handlerView.messages.map((m: { from: string; body: string }) => `${m.from}: ${m.body}`)).toEqual([
        'HANDLER: Can you say which terminal?',
        'NOTE: Status NEW -> IN_REVIEW: answered the reporter',
        'NOTE: Status IN_REVIEW -> NEED_INFO: internal: cross-check the crane roster',
        'REPORTER: Terminal 3, night shift',
      ]);
    });

    it('refers a case to another organisation: re-encrypted to it, gone for the first', async () => {
      const referred = await t.gql(
        `mutation($c: ID!, $o: ID!) { referCase(caseId: $c, organisationId: $o) { status organisationId } }`,
        { c: caseId, o: customsAdmin.organisationId },
        policeHandler.token,
      );
      expect(referred.data.referCase).toEqual({ status: 'REFERRED', organisationId: customsAdmin.organisationId });
      expect(codeOf(await t.gql(CASE, { id: caseId }, policeHandler.token))).toBe('NOT_FOUND');
      expect((await t.gql(CASE, { id: caseId }, customsAdmin.token)).data.whistleblowerCase.text).toContain(CANARY);
      expect((await byReceipt(t, BY_RECEIPT, { receipt })).data.reportByReceipt.status).toBe('REFERRED');
    });
  });

  describe('receipts', () => {
    it('answers every wrong receipt with one generic error, raises the cost of guessing for everyone, and still lets a correct receipt through', async () => {
      const wrong = async (r: string, client = '10.66.0.1') => byReceipt(t, BY_RECEIPT, { receipt: r }, client);
      const random = await wrong('1234 5678 9012 3456 7890 1234 5678', '10.66.0.2');
      const malformed = await wrong('12', '10.66.0.3');
      expect(random.errors![0]).toEqual(malformed.errors![0]);
      expect(random.errors![0]).toMatchObject({
        message: 'No report matches this receipt',
        extensions: { code: 'NOT_FOUND' },
      });

      // An attack from one shared exit: nobody is locked out, every guess pays a growing proof of work.
      const difficulty = async () =>
        (await asReporter(t, `{ reportChallenge(purpose: FOLLOW_UP) { difficulty } }`)).data.reportChallenge.difficulty;
      const calm = await difficulty();
      const started = Date.now();
      const codes: Record<string, number> = {};
      for (let batch = 0; batch < 10; batch++) {
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) => wrong(String(batch * 100 + i).padStart(28, '7'))),
        );
        for (const r of results) codes[codeOf(r)] = (codes[codeOf(r)] ?? 0) + 1;
      }
      const guessing = Date.now() - started;
      expect(codes).toEqual({ NOT_FOUND: 200 });
      const underAttack = await difficulty();
      expect(underAttack).toBeGreaterThanOrEqual(calm + 3);
      const lookup = Date.now();
      const legit = await byReceipt(t, BY_RECEIPT, { receipt }, '10.66.0.1');
      expect(legit.data.reportByReceipt.text).toContain(CANARY);
      // A challenge is single-use on every instance: the database remembers it.
      const spent = await earnChallenge(t, 'FOLLOW_UP');
      await asReporter(t, BY_RECEIPT, { receipt, ...spent });
      expect((await asReporter(t, BY_RECEIPT, { receipt, ...spent })).errors![0].message).toMatch(/used already/);
      process.stdout.write(
        `\n[whistleblowing] 200 wrong guesses in ${guessing} ms; proof of work ${calm} -> ${underAttack} bits; the correct receipt during the attack: ${Date.now() - lookup} ms\n`,
      );
    }, 180_000);
  });

  describe('retention', () => {
    it('purges a closed case past the retention period with its messages and files, and leaves the rest', async () => {
      const doomedReceipt = await submitReport(t, {
        recipientOrganisationId: policeAdmin.organisationId!,
        text: 'to be purged',
      });
      await submitReport(t, { recipientOrganisationId: policeAdmin.organisationId!, text: 'still open' });
      await byReceipt(t, REPLY, { r: doomedReceipt, body: 'more' });
      const ids: string[] = await find(policeHandler.token);
      const views = await Promise.all(
        ids.map(async (id) => ({
          id,
          text: (await t.gql(CASE, { id }, policeHandler.token)).data.whistleblowerCase.text,
        })),
      );
      const doomedId = views.find((v) => v.text === 'to be purged')!.id;
      const keptId = views.find((v) => v.text === 'still open')!.id;
      await t.dataSource.query(
        `INSERT INTO whistleblower_attachments (id, case_id, meta, content) VALUES (gen_random_uuid(), $1, '\\x00', '\\x00')`,
        [doomedId],
      );
      await t.gql(
        `mutation($c: ID!) { setCaseStatus(caseId: $c, status: CLOSED) { status } }`,
        { c: doomedId },
        policeHandler.token,
      );
      expect(await t.app.get(CaseHandlingService).purgeClosed()).toEqual([]); // closed today: kept for 90 days
      await t.dataSource.query(`UPDATE whistleblower_cases SET closed_on = current_date - 91 WHERE id = $1`, [
        doomedId,
      ]);
      const purged = await t.app.get(CaseHandlingService).purgeClosed();
      expect(purged).toEqual([{ organisation_id: policeAdmin.organisationId, cases: 1, messages: 2, attachments: 1 }]);
      for (const [table, column] of [
        ['whistleblower_cases', 'id'],
        ['whistleblower_messages', 'case_id'],
        ['whistleblower_attachments', 'case_id'],
      ]) {
        expect([table, await t.dataSource.query(`SELECT 1 FROM ${table} WHERE ${column} = $1`, [doomedId])]).toEqual([
          table,
          [],
        ]);
      }
      expect(await t.dataSource.query(`SELECT 1 FROM whistleblower_cases WHERE id = $1`, [keptId])).toHaveLength(1);
      expect(codeOf(await byReceipt(t, BY_RECEIPT, { receipt: doomedReceipt }, '10.1.1.9'))).toBe('NOT_FOUND');
      expect(printed.join('')).toMatch(/purged 1 cases, 2 messages, 1 attachments of organisation/);
    });
  });

  describe('Directive deadlines, reminders and unlocking keys', () => {
    const DATES = `query($id: ID!) { whistleblowerCase(id: $id) { receivedOn acknowledgeBy acknowledgedOn feedbackBy feedbackOn attention purgeOn } }`;
    const REPLY_TO = `mutation($c: ID!, $body: String!, $feedback: Boolean) { replyToReporter(caseId: $c, body: $body, feedback: $feedback) { acknowledgedOn feedbackOn attention } }`;
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    let id: string;

    it('gives every case the 7-day and 3-month deadlines, and weighs them day by day', async () => {
      await submitReport(t, { recipientOrganisationId: policeAdmin.organisationId!, text: 'deadline canary' });
      const ids: string[] = await find(policeHandler.token);
      for (const candidate of ids)
        if (
          (await t.gql(CASE, { id: candidate }, policeHandler.token)).data.whistleblowerCase.text === 'deadline canary'
        )
          id = candidate;
      const dates = async () => (await t.gql(DATES, { id }, policeHandler.token)).data.whistleblowerCase;
      // Each case has a short random reference, so that two of one day can be told apart.
      const references = (
        await t.gql(`{ whistleblowerCases(first: 50) { edges { node { reference } } } }`, {}, policeHandler.token)
      ).data.whistleblowerCases.edges.map((e: { node: { reference: string } }) => e.node.reference);
      expect(references.length).toBeGreaterThan(1);
      for (const r of references) expect(r).toMatch(/^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
      expect(new Set(references).size).toBe(references.length);
      const fresh = await dates();
      // Not answered yet: it needs attention before any deadline is near.
      expect(fresh).toMatchObject({
        acknowledgedOn: null,
        feedbackOn: null,
        attention: 'TO_ACKNOWLEDGE',
        purgeOn: null,
      });
      expect(fresh.acknowledgeBy).toBe(day(7));
      const feedbackBy = new Date(`${day(7)}T00:00:00Z`);
      feedbackBy.setUTCMonth(feedbackBy.getUTCMonth() + 3);
      expect(fresh.feedbackBy).toBe(feedbackBy.toISOString().slice(0, 10));
      const receivedDaysAgo = (n: number) =>
        t.dataSource.query(`UPDATE whistleblower_cases SET received_on = current_date - $2::int WHERE id = $1`, [
          id,
          n,
        ]);
      await receivedDaysAgo(6);
      expect((await dates()).attention).toBe('DUE_SOON');
      await receivedDaysAgo(8);
      expect((await dates()).attention).toBe('OVERDUE');
    });

    it('mails each handler once a day how many cases need attention, and nothing about any case', async () => {
      t.smtp.mails.length = 0;
      const reminders = t.app.get(CaseRemindersService);
      expect(await reminders.sendReminders()).toBe(1);
      const mails = [await t.smtp.waitFor(policeAdmin.email), await t.smtp.waitFor(policeHandler.email)];
      expect(mails.map((m) => m.to)).toEqual([[policeAdmin.email], [policeHandler.email]]); // one each
      for (const mail of mails) {
        expect(mail.subject).toMatch(/^Harbourwatch: \d+ cases? needs? attention$/);
        expect(mail.text).toMatch(/^\d+ cases? needs? attention\.\n\nhttp:\/\/[^/]+\/cases\n$/);
        expect(mail.text).not.toContain(id);
        expect(mail.text).not.toContain('deadline canary');
      }
      expect(await reminders.sendReminders()).toBe(0); // once a day
    });

    it('counts the first reply as the acknowledgement and a reply marked feedback as the feedback', async () => {
      const ack = (await t.gql(REPLY_TO, { c: id, body: 'Received, we are looking into it.' }, policeHandler.token))
        .data.replyToReporter;
      expect(ack).toMatchObject({ acknowledgedOn: day(0), feedbackOn: null, attention: null });
      const fb = (
        await t.gql(REPLY_TO, { c: id, body: 'The badge was suspended.', feedback: true }, policeHandler.token)
      ).data.replyToReporter;
      expect(fb).toMatchObject({ acknowledgedOn: day(0), feedbackOn: day(0), attention: null });
      await t.gql(
        `mutation($c: ID!) { setCaseStatus(caseId: $c, status: CLOSED) { status } }`,
        { c: id },
        policeHandler.token,
      );
      expect((await t.gql(DATES, { id }, policeHandler.token)).data.whistleblowerCase.purgeOn).toBe(day(90));
    });

    it('opens locked case keys again with the password only, counting wrong guesses as failed sign-ins', async () => {
      const sid = JSON.parse(Buffer.from(policeHandler.token.split('.')[1], 'base64url').toString()).sid;
      t.app.get(CaseKeyringService).ended([sid]);
      const locked = await t.gql(CASE, { id }, policeHandler.token);
      expect(locked.errors?.[0].extensions).toMatchObject({ code: 'UNAUTHENTICATED', caseKeysLocked: true });
      const UNLOCK = `mutation($p: String!) { unlockCaseKeys(password: $p) }`;
      const wrong = await t.gql(UNLOCK, { p: 'not the password' }, policeHandler.token);
      expect(wrong.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'password' });
      expect((await t.gql(UNLOCK, { p: PASSWORD }, policeHandler.token)).data.unlockCaseKeys).toBe(true);
      expect((await t.gql(CASE, { id }, policeHandler.token)).data.whistleblowerCase.text).toBe('deadline canary');
      const [{ n }] = await t.dataSource.query(
        `SELECT count(*)::int AS n FROM audit_events WHERE action = 'unlockCaseKeys' AND actor_user_id = $1`,
        [policeHandler.id],
      );
      expect(n).toBe(1);
    });
  });

  describe('what is stored and logged', () => {
    it('keeps the canary, the client address and the user agent out of the database dump and every log line', async () => {
      const { tool, text } = await dumpDatabase(t.urls.superuser);
      expect(text).toContain('whistleblower_cases');
      const logs = printed.join('');
      for (const needle of [CANARY, AGENT, '10.1.1.1', '127.0.0.1']) {
        expect([needle, 'dump', text.includes(needle)]).toEqual([needle, 'dump', false]);
        expect([needle, 'logs', logs.includes(needle)]).toEqual([needle, 'logs', false]);
      }
      const client = new Client({ connectionString: t.urls.superuser });
      await client.connect();
      await client.query('CHECKPOINT');
      const [{ data_directory }] = (await client.query('SHOW data_directory')).rows;
      await client.end();
      expect(filesContaining(data_directory, [CANARY, AGENT])).toEqual([]);
      process.stdout.write(
        `\n[whistleblowing] ${tool} and ${logs.length} characters of server output: no canary, address or user agent\n`,
      );
    });
  });
});
