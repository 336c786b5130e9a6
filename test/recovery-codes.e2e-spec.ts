/**
 * Platform administrators' second factor (issue 28): a passkey serves as well as TOTP, and one-time
 * recovery codes stand in, once each, for a second factor they lost.
 */
import { generate } from 'otplib';
import { ActorService } from '../src/auth/actor.service';
import { MemberRole, OrganisationType } from '../src/common/organisation-type';
import { login, LOGIN, makeOrganisation, makeUser, member, PASSWORD } from './helpers/factory';
import { startTestApp, TestApp } from './helpers/test-app';

const GENERATE = `mutation { generateRecoveryCodes }`;

describe('recovery codes and the platform administrators second factor', () => {
  let t: TestApp;
  let admin: { id: string; email: string };
  let token: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await makeUser(t, null, MemberRole.MEMBER, { platformAdmin: true });
    ({ token } = await login(t, admin.email));
    const { secret } = (await t.gql(`mutation { enrolTotp { secret } }`, {}, token)).data.enrolTotp;
    await t.gql(`mutation($c: String!) { confirmTotp(code: $c) }`, { c: await generate({ secret }) }, token);
  });
  afterAll(() => t.close());

  it('signs a platform administrator in once per recovery code, after the password, and records it', async () => {
    const left = async () => (await t.gql(`{ recoveryCodesLeft }`, {}, token)).data.recoveryCodesLeft as number;
    expect(await left()).toBe(0);
    const codes = (await t.gql(GENERATE, {}, token)).data.generateRecoveryCodes as string[];
    expect(await left()).toBe(10);
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}$/);
    const withCode = (recoveryCode: string) =>
      t.gql(
        LOGIN.replace('$totp: String)', '$totp: String, $recoveryCode: String)').replace(
          'totp: $totp)',
          'totp: $totp, recoveryCode: $recoveryCode)',
        ),
        {
          email: admin.email,
          password: PASSWORD,
          recoveryCode,
        },
      );
    const first = await withCode(codes[0]);
    expect(first.data?.login.accessToken).toBeTruthy();
    expect(await left()).toBe(9);
    expect((await withCode(codes[0])).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'recoveryCodeUsed' AND object_id = $1`,
      [admin.id],
    );
    expect(n).toBe(1);
    // New codes void the old ones.
    await t.gql(GENERATE, {}, token);
    expect((await withCode(codes[1])).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('gives recovery codes to platform administrators only', async () => {
    const analyst = await member(t, await makeOrganisation(t, OrganisationType.POLICE), MemberRole.ORG_ADMIN);
    expect((await t.gql(GENERATE, {}, analyst.token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it("takes a passkey as a platform administrator's second factor, as it takes TOTP", async () => {
    const other = await makeUser(t, null, MemberRole.MEMBER, { platformAdmin: true });
    const session = await login(t, other.email);
    const admins = `{ platformAdministrators { email hasPasskey } }`;
    expect((await t.gql(admins, {}, session.token)).errors?.[0].extensions?.code).toBe('FORBIDDEN');
    await t.dataSource.query(
      `INSERT INTO passkeys (user_id, credential_id, public_key, device_type, backed_up, name)
       VALUES ($1, 'admin-key', '\\x00', 'singleDevice', false, 'security key')`,
      [other.id],
    );
    t.app.get(ActorService).forget(); // resolved actors are kept for ACTOR_CACHE_MS
    const listed = await t.gql(admins, {}, session.token);
    expect(listed.errors).toBeUndefined();
    expect(listed.data.platformAdministrators).toContainEqual({ email: other.email, hasPasskey: true });
  });
});
