import { createHmac } from 'node:crypto';
import { MemberRole, OrganisationType } from '../../src/common/organisation-type';
import { login, makeOrganisation, member, TestUser } from '../helpers/factory';
import { codeOf, startTestApp, TestApp } from '../helpers/test-app';
import { printSummary } from './summary';

const ME = `{ me { user { id } } }`;

function hs256(payload: object, secret: string, header: object = { alg: 'HS256', typ: 'JWT' }): string {
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const body = `${enc(header)}.${enc(payload)}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

describe('access tokens under attack', () => {
  let t: TestApp;
  let user: TestUser;
  let claims: { sub: string; sid: string; org: string };
  let otherOrg: string;
  let accepted = 0;
  let cases = 0;

  beforeAll(async () => {
    t = await startTestApp();
    const org = await makeOrganisation(t, OrganisationType.POLICE);
    otherOrg = await makeOrganisation(t, OrganisationType.CUSTOMS);
    user = await member(t, org, MemberRole.ANALYST);
    claims = JSON.parse(Buffer.from(user.token.split('.')[1], 'base64url').toString());
  });
  afterAll(async () => {
    printSummary(`jwt: ${cases} cases, ${accepted} accepted`);
    await t.close();
  });

  const now = () => Math.floor(Date.now() / 1000);
  const base = () => ({ ...claims, iss: 'harbourwatch', aud: 'harbourwatch-api', iat: now(), exp: now() + 60 });
  const attempt = async (token: string) => {
    cases++;
    const code = codeOf(await t.gql(ME, {}, token));
    if (code !== 'UNAUTHENTICATED') accepted++;
    return code;
  };

  it('accepts a correctly signed token (the control case)', async () => {
    expect(codeOf(await t.gql(ME, {}, hs256(base(), t.config.jwtSecret)))).toBe('OK');
  });

  it.each([
    [
      'alg none',
      () =>
        `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from(JSON.stringify(base())).toString('base64url')}.`,
    ],
    [
      'alg HS512 with the right key',
      () => {
        const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
        const body = `${enc({ alg: 'HS512', typ: 'JWT' })}.${enc(base())}`;
        return `${body}.${createHmac('sha512', t.config.jwtSecret).update(body).digest('base64url')}`;
      },
    ],
    ['a wrong key', () => hs256(base(), 'another-secret-that-is-long-enough-0123456789')],
    ['an expired token', () => hs256({ ...base(), iat: now() - 1000, exp: now() - 10 }, t.config.jwtSecret)],
    ['a wrong audience', () => hs256({ ...base(), aud: 'somebody-else' }, t.config.jwtSecret)],
    [
      'tampered claims under the original signature',
      () =>
        user.token.replace(
          /^([^.]+)\.([^.]+)/,
          (_m, h) => `${h}.${Buffer.from(JSON.stringify({ ...claims, org: otherOrg })).toString('base64url')}`,
        ),
    ],
    [
      'a forged session id',
      () => hs256({ ...base(), sid: '00000000-0000-4000-8000-000000000000' }, t.config.jwtSecret),
    ],
    ['an organisation the user never belonged to', () => hs256({ ...base(), org: otherOrg }, t.config.jwtSecret)],
    ['garbage', () => 'not-a-jwt'],
  ])('rejects %s', async (_name, make) => {
    expect(await attempt(make())).toBe('UNAUTHENTICATED');
  });

  it('rejects the token of a removed member on the next request', async () => {
    const org = await makeOrganisation(t, OrganisationType.TERMINAL_OPERATOR);
    const admin = await member(t, org, MemberRole.ORG_ADMIN);
    const victim = await member(t, org, MemberRole.MEMBER);
    await t.gql(`mutation($u: ID!) { removeMember(userId: $u) }`, { u: victim.id }, admin.token);
    expect(await attempt(victim.token)).toBe('UNAUTHENTICATED');
  });

  it('rejects a token for an organisation the user has left, while the other membership still works', async () => {
    const org = await makeOrganisation(t, OrganisationType.TERMINAL_OPERATOR);
    const admin = await member(t, org, MemberRole.ORG_ADMIN);
    const leaver = await member(t, org, MemberRole.MEMBER);
    await t.dataSource.query(`INSERT INTO memberships (organisation_id, user_id, role) VALUES ($1, $2, 'MEMBER')`, [
      otherOrg,
      leaver.id,
    ]);
    const elsewhere = await login(t, leaver.email, otherOrg);
    await t.gql(`mutation($u: ID!) { removeMember(userId: $u) }`, { u: leaver.id }, admin.token);
    expect(await attempt(leaver.token)).toBe('UNAUTHENTICATED');
    expect(codeOf(await t.gql(ME, {}, elsewhere.token))).toBe('OK');
  });

  it('rejects every attack', () => {
    expect(accepted).toBe(0);
  });
});
