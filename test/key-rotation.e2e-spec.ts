/**
 * Rotating JWT_SECRET and AUDIT_SIGNING_KEY without downtime: the new release signs with the new key
 * and reads with the old one too (JWT_SECRET_PREVIOUS, AUDIT_SIGNING_KEY_PREVIOUS). Under a steady load
 * of requests with tokens the old key signed, a second instance starts with the rotated keys on the same
 * database and the first stops: no request fails, and nothing the old keys signed is lost (sessions,
 * recovery codes, unsubscribe links in mailboxes, audit checkpoints).
 */
import { randomBytes } from 'node:crypto';
import { generate } from 'otplib';
import { keyId, signingKey, signStatement, statementHash, statementOf } from '../src/audit/audit-chain';
import { AuditCheckpointsService } from '../src/audit/audit-checkpoints.service';
import { verifyAuditTrail } from '../src/audit/audit-verifier';
import { MemberRole, OrganisationType } from '../src/common/organisation-type';
import { unsubscribeLink } from '../src/notifications/unsubscribe';
import { verifyTrail } from './helpers/audit';
import { LOGIN, login, makeOrganisation, makeUser, member, PASSWORD } from './helpers/factory';
import { codeOf, startTestApp, TestApp } from './helpers/test-app';

const ME = `{ me { isPlatformAdmin } }`;
const secret = () => randomBytes(36).toString('base64url');
const seed = () => randomBytes(32).toString('base64');

describe('key rotation without downtime', () => {
  let before: TestApp | undefined;
  let after: TestApp | undefined;
  afterAll(async () => {
    await before?.close();
    await after?.close();
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
});
