/**
 * Rotating each key without downtime: the new release signs or seals with the new key and reads with the
 * old one too (the _PREVIOUS variables). Under a steady load, a second instance starts with the rotated
 * keys on the same database and the first stops: no request fails, and nothing the old keys signed or
 * sealed is lost (sessions, recovery codes, unsubscribe links in mailboxes, audit checkpoints; TOTP seeds,
 * webhook secrets, vetting identities and pseudonyms, whistleblower receipts). The rotation job then
 * moves everything to the new keys, and the old ones can go.
 */
import { randomBytes } from 'node:crypto';
import { generate } from 'otplib';
import { keyId, signingKey, signStatement, statementHash, statementOf } from '../src/audit/audit-chain';
import { AuditCheckpointsService } from '../src/audit/audit-checkpoints.service';
import { verifyAuditTrail } from '../src/audit/audit-verifier';
import { MemberRole, OrganisationType } from '../src/common/organisation-type';
import { SecretBox } from '../src/common/secret-box';
import { secretContext } from '../src/notifications/webhook-delivery.service';
import { unsubscribeLink } from '../src/notifications/unsubscribe';
import { KeyRotationService } from '../src/operations/key-rotation.service';
import { verifyTrail } from './helpers/audit';
import { LOGIN, login, makeOrganisation, makeUser, member, PASSWORD } from './helpers/factory';
import { codeOf, startTestApp, TestApp } from './helpers/test-app';
import { BY_RECEIPT, byReceipt, OPT_IN, submitReport } from './helpers/whistleblowing';

const ME = `{ me { isPlatformAdmin } }`;
const secret = () => randomBytes(36).toString('base64url');
const seed = () => randomBytes(32).toString('base64');

describe('key rotation without downtime', () => {
  let before: TestApp | undefined;
  let after: TestApp | undefined;
  afterEach(async () => {
    await before?.close();
    await after?.close();
    before = after = undefined;
  });

  it('keeps sessions, recovery codes, unsubscribe links and checkpoints across a rotation under load', async () => {
    const [s1, s2, k1, k2] = [secret(), secret(), seed(), seed()];
    before = await startTestApp({ JWT_SECRET: s1, AUDIT_SIGNING_KEY: k1 });
    const org = await makeOrganisation(before, OrganisationType.POLICE);
    const analysts = await Promise.all([1, 2, 3].map(() => member(before!, org, MemberRole.ANALYST)));
    const admin = await makeUser(before, null, MemberRole.MEMBER, { platformAdmin: true });
    const adminToken = (await login(before, admin.email)).token;
    const { secret: totp } = (await before.gql(`mutation { enrolTotp { secret } }`, {}, adminToken)).data.enrolTotp;
    await before.gql(
      `mutation($c: String!) { confirmTotp(code: $c) }`,
      { c: await generate({ secret: totp }) },
      adminToken,
    );
    const codes: string[] = (await before.gql(`mutation { generateRecoveryCodes }`, {}, adminToken)).data
      .generateRecoveryCodes;
    const subscription = (
      await before.gql(
        `mutation($i: AlertSubscriptionInput!) { createAlertSubscription(input: $i) { id } }`,
        { i: { name: 'all', channels: ['EMAIL'], mode: 'IMMEDIATE' } },
        analysts[0].token,
      )
    ).data.createAlertSubscription.id;
    const mailed = unsubscribeLink('http://mailbox', s1, {
      subscriptionId: subscription,
      userId: analysts[0].id,
      organisationId: org,
    }).replace('http://mailbox', '');
    expect(await before.app.get(AuditCheckpointsService).checkpoint()).not.toBeNull();

    // Steady load with the old tokens, on whichever instance is up, while the rotated one starts.
    let stop = false;
    const outcomes: string[] = [];
    const load = (async () => {
      for (let i = 0; !stop; i++) {
        const app = after && (i % 2 === 1 || !before) ? after : before;
        if (!app) break;
        const r = await app.gql(ME, {}, analysts[i % analysts.length].token).catch(() => ({ errors: [{}] }));
        outcomes.push(r.errors ? `error ${JSON.stringify(r.errors)}` : 'ok');
      }
    })();
    after = await startTestApp(
      { JWT_SECRET: s2, JWT_SECRET_PREVIOUS: s1, AUDIT_SIGNING_KEY: k2, AUDIT_SIGNING_KEY_PREVIOUS: k1 },
      before,
    );
    const midway = outcomes.length;
    while (outcomes.length < midway + 60) await new Promise((r) => setTimeout(r, 20));
    // The old instance is left to the load a little longer, then stops; the new one carries on alone.
    const closing = before;
    before = undefined;
    // Requests go one at a time: two more, and none is still on its way to the closing instance.
    const handoff = outcomes.length;
    while (outcomes.length < handoff + 2) await new Promise((r) => setTimeout(r, 20));
    await closing.close();
    const alone = outcomes.length;
    while (outcomes.length < alone + 60) await new Promise((r) => setTimeout(r, 20));
    stop = true;
    await load;
    expect(outcomes.filter((o) => o !== 'ok')).toEqual([]);
    expect(outcomes.length).toBeGreaterThan(120);

    // New sessions are signed with the new secret, and name it; a token of an unknown key is refused.
    const fresh = await login(after, analysts[1].email);
    expect(JSON.parse(Buffer.from(fresh.token.split('.')[0], 'base64url').toString()).kid).toBeTruthy();
    expect(codeOf(await after.gql(ME, {}, fresh.token))).toBe('OK');
    const [, body, signature] = fresh.token.split('.');
    const forgedHead = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: 'unknown-key-id' })).toString(
      'base64url',
    );
    expect(codeOf(await after.gql(ME, {}, `${forgedHead}.${body}.${signature}`))).toBe('UNAUTHENTICATED');

    // A recovery code given out under the old secret still signs the administrator in, once.
    const withCode = LOGIN.replace('$totp: String)', '$totp: String, $recoveryCode: String)').replace(
      'totp: $totp)',
      'totp: $totp, recoveryCode: $recoveryCode)',
    );
    const signedIn = await after.gql(withCode, { email: admin.email, password: PASSWORD, recoveryCode: codes[0] });
    expect(signedIn.data?.login.accessToken).toBeTruthy();
    expect(codeOf(await after.gql(withCode, { email: admin.email, password: PASSWORD, recoveryCode: codes[0] }))).toBe(
      'UNAUTHENTICATED',
    );

    // An unsubscribe link mailed before the rotation still works.
    const unsubscribed = await fetch(`${after.baseUrl}${mailed}`, { method: 'POST' });
    expect(unsubscribed.status).toBe(200);
    expect(await unsubscribed.text()).toContain('You are unsubscribed');

    // Checkpoints: the old one verifies against the previous key, the next is signed with the new one.
    expect(await after.app.get(AuditCheckpointsService).checkpoint()).not.toBeNull();
    const keys = await after.dataSource.query(`SELECT key_id FROM audit_checkpoints ORDER BY id`);
    expect(new Set(keys.map((k: { key_id: string }) => k.key_id)).size).toBe(2);
    expect(await verifyTrail(after)).toMatchObject({ ok: true });
    const current = signingKey(Buffer.from(k2, 'base64'));
    expect(await verifyAuditTrail(after.dataSource, current)).toMatchObject({
      ok: false,
      reason: 'checkpoint not signed by the audit signing key',
    });
    // Someone holding the replaced key cannot sign the line on after its successor took over.
    const [last] = await after.dataSource.query(`SELECT * FROM audit_checkpoints ORDER BY id DESC LIMIT 1`);
    const old = signingKey(Buffer.from(k1, 'base64'));
    const forged = { ...last, id: String(Number(last.id) + 1), previous: statementHash(statementOf(last)) };
    forged.signature = signStatement(statementOf(forged), old);
    const runner = after.dataSource.createQueryRunner();
    await runner.startTransaction();
    try {
      await runner.query(
        `INSERT INTO audit_checkpoints (id, at, heads, root, previous, key_id, signature)
         SELECT $1, at, heads, root, $2, $3, $4 FROM audit_checkpoints WHERE id = $5`,
        [forged.id, forged.previous, keyId(old), forged.signature, last.id],
      );
      expect(await verifyAuditTrail(runner.manager, [current, old])).toMatchObject({
        ok: false,
        reason: 'checkpoint signed by a key a newer one had replaced',
      });
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });

  it('keeps TOTP seeds, webhook secrets, vetting records and receipts across ENCRYPTION_KEY and VETTING_PSEUDONYM_KEY rotations', async () => {
    const [e1, e2, p1, p2] = [seed(), seed(), seed(), seed()];
    const common = { TRUST_PROXY: 'true', REPORTS_PER_HOUR: '1000' };
    before = await startTestApp({ ...common, ENCRYPTION_KEY: e1, VETTING_PSEUDONYM_KEY: p1 });
    const authority = await makeOrganisation(before, OrganisationType.PORT_AUTHORITY, ['NLRTM']);
    const police = await makeOrganisation(before, OrganisationType.POLICE, ['NLRTM']);
    const terminal = await makeOrganisation(before, OrganisationType.TERMINAL_OPERATOR, ['NLRTM']);
    const author = await member(before, authority, MemberRole.ANALYST);
    const officer = await member(before, police, MemberRole.ANALYST);
    const policeAdmin = await member(before, police, MemberRole.ORG_ADMIN);
    const terminalAdmin = await member(before, terminal, MemberRole.ORG_ADMIN);
    const admin = await makeUser(before, null, MemberRole.MEMBER, { platformAdmin: true });
    const adminToken = (await login(before, admin.email)).token;
    const { secret: totp } = (await before.gql(`mutation { enrolTotp { secret } }`, {}, adminToken)).data.enrolTotp;
    // Codes of the step before, this one and the next (one step of drift is accepted): a step is never replayed.
    const code = (steps: number) => generate({ secret: totp, epoch: Math.floor(Date.now() / 1000) + 30 * steps });
    const confirm = `mutation($c: String!) { confirmTotp(code: $c) }`;
    expect(codeOf(await before.gql(confirm, { c: await code(-1) }, adminToken))).toBe('OK');
    const hook = (
      await before.gql(
        `mutation($i: WebhookInput!) { createWebhook(input: $i) { webhook { id } secret } }`,
        { i: { name: 'SIEM', url: 'https://siem.example/hook', maxTlp: 'GREEN' } },
        terminalAdmin.token,
      )
    ).data.createWebhook;
    const cleared = { documentNumber: `KR${Date.now() % 10_000_000}`, issuingCountry: 'NL' };
    const refused = { documentNumber: `KX${Date.now() % 10_000_000}`, issuingCountry: 'NL' };
    const record = (app: TestApp, subject: typeof cleared, decision: Record<string, string>, token: string) =>
      app.gql(
        `mutation($input: RecordVettingInput!) { recordVetting(input: $input) { id } }`,
        {
          input: {
            ...subject,
            fullName: 'Rotation Subject',
            dateOfBirth: '1980-02-03',
            employerOrganisationId: terminal,
            level: 'BASIC',
            validUntil: new Date(Date.now() + 365 * 86_400_000).toISOString(),
            ...decision,
          },
        },
        token,
      );
    const recorded = (await record(before, cleared, { status: 'CLEARED' }, author.token)).data.recordVetting.id;
    const refusal = { status: 'REFUSED', reasonCode: 'LINKS_TO_ORGANISED_CRIME' };
    expect(codeOf(await record(before, refused, refusal, author.token))).toBe('OK');
    expect(codeOf(await before.gql(OPT_IN, { accept: true, days: 90 }, policeAdmin.token))).toBe('OK');
    const receipts = [
      await submitReport(before, { recipientOrganisationId: police, text: 'The gate code is sold' }),
      await submitReport(before, { recipientOrganisationId: police, text: 'A second report' }),
    ];

    const CHECK = `query($d: String!, $c: String!) { checkVettingStatus(documentNumber: $d, issuingCountry: $c) { status } }`;
    const CROSS = `query($s: [VettingSubjectKeyInput!]!) { crossMatchSubjects(subjects: $s) { index status } }`;
    const SUBJECT = `query($d: String!, $c: String!) { vettingSubjectAccess(documentNumber: $d, issuingCountry: $c) { id subject { fullName } } }`;
    const KEYS = `{ platformHealth { keys { key currentKeyId previousKeyIds values { kind pending total } } } }`;
    const pending = async (app: TestApp, token: string) =>
      Object.fromEntries(
        (await app.gql(KEYS, {}, token)).data.platformHealth.keys.flatMap(
          (k: { values: { kind: string; pending: number }[] }) => k.values.map((v) => [v.kind, v.pending]),
        ),
      );
    const everything = async (app: TestApp) => {
      expect((await app.gql(CHECK, { d: cleared.documentNumber, c: 'NL' }, author.token)).data).toEqual({
        checkVettingStatus: { status: 'CLEARED' },
      });
      expect((await app.gql(CROSS, { s: [cleared, refused] }, officer.token)).data).toEqual({
        crossMatchSubjects: [{ index: 1, status: 'REFUSED' }],
      });
      expect(
        (await app.gql(SUBJECT, { d: cleared.documentNumber, c: 'NL' }, author.token)).data.vettingSubjectAccess,
      ).toEqual([{ id: recorded, subject: { fullName: 'Rotation Subject' } }]);
      // A second record of the same subject for the same employer is refused, under whichever key the first is.
      expect(codeOf(await record(app, cleared, { status: 'CLEARED' }, author.token))).toBe('CONFLICT');
    };
    await everything(before);

    // Steady load of badge checks (pseudonyms) on whichever instance is up, while the rotated one starts.
    let stop = false;
    const outcomes: string[] = [];
    const load = (async () => {
      for (let i = 0; !stop; i++) {
        const app = after && (i % 2 === 1 || !before) ? after : before;
        if (!app) break;
        const r = await app
          .gql(CHECK, { d: cleared.documentNumber, c: 'NL' }, author.token)
          .catch(() => ({ errors: [{}] }));
        outcomes.push(r.errors ? `error ${JSON.stringify(r.errors)}` : 'ok');
      }
    })();
    const rotated = {
      ...common,
      ENCRYPTION_KEY: e2,
      ENCRYPTION_KEY_PREVIOUS: e1,
      VETTING_PSEUDONYM_KEY: p2,
      VETTING_PSEUDONYM_KEY_PREVIOUS: p1,
    };
    after = await startTestApp(rotated, before);
    const midway = outcomes.length;
    while (outcomes.length < midway + 40) await new Promise((r) => setTimeout(r, 20));
    const closing = before;
    before = undefined;
    const handoff = outcomes.length;
    while (outcomes.length < handoff + 2) await new Promise((r) => setTimeout(r, 20));
    await closing.close();
    await everything(after);
    // The administrator's TOTP seed, sealed under the previous key, still signs them in.
    const adminWithTotp = async (app: TestApp, steps: number) =>
      (await app.gql(LOGIN, { email: admin.email, password: PASSWORD, totp: await code(steps) })).data?.login
        .accessToken as string | undefined;
    const platform = await adminWithTotp(after, 0);
    expect(platform).toBeTruthy();
    const beforeJob = await pending(after, platform!);
    expect(beforeJob).toMatchObject({
      totp: 1,
      webhookSecret: 1,
      vettingDataKey: 2,
      vettingPseudonym: 2,
      receiptLookup: 2,
    });

    const moved = await after.app.get(KeyRotationService).rotate();
    expect(moved).toMatchObject({ totp: 1, webhookSecret: 1, vettingDataKey: 2, vettingPseudonym: 2 });
    expect(await after.app.get(KeyRotationService).rotate()).toMatchObject({ totp: 0, vettingPseudonym: 0 });
    // Only the receipts wait for their reporters: one comes back, under the previous key's lookup.
    expect(await pending(after, platform!)).toMatchObject({
      totp: 0,
      webhookSecret: 0,
      vettingDataKey: 0,
      vettingPseudonym: 0,
      receiptLookup: 2,
    });
    expect((await byReceipt(after, BY_RECEIPT, { receipt: receipts[0] })).data.reportByReceipt.text).toBe(
      'The gate code is sold',
    );
    expect(await pending(after, platform!)).toMatchObject({ receiptLookup: 1 });
    stop = true;
    await load;
    expect(outcomes.filter((o) => o !== 'ok')).toEqual([]);

    // The previous keys go: everything the job moved is still there, under the new keys alone.
    const final = await startTestApp({ ...common, ENCRYPTION_KEY: e2, VETTING_PSEUDONYM_KEY: p2 }, after);
    const closed = after;
    after = final;
    await closed.close();
    await everything(final);
    expect(await adminWithTotp(final, 1)).toBeTruthy();
    const [{ secret_sealed }] = await final.dataSource.query(`SELECT secret_sealed FROM webhooks WHERE id = $1`, [
      hook.webhook.id,
    ]);
    expect(new SecretBox(Buffer.from(e2, 'base64')).open(secret_sealed, secretContext(hook.webhook.id))).toBe(
      hook.secret,
    );
    expect((await byReceipt(final, BY_RECEIPT, { receipt: receipts[0] })).data.reportByReceipt.text).toBe(
      'The gate code is sold',
    );
    // The receipt whose reporter never came back needed the previous key: the desk said so (pending 1).
    expect(codeOf(await byReceipt(final, BY_RECEIPT, { receipt: receipts[1] }))).toBe('NOT_FOUND');
    expect(await verifyTrail(final)).toMatchObject({ ok: true });
    const [{ details }] = await final.dataSource.query(
      `SELECT details FROM audit_events WHERE action = 'rotateKeys' ORDER BY seq LIMIT 1`,
    );
    expect(details).toMatchObject({ totp: 1, webhookSecret: 1, vettingDataKey: 2, vettingPseudonym: 2 });
  });
});
