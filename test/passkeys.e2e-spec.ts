/**
 * Passkeys over the API (issue 28), answered by a software authenticator: a passkey signs in alone,
 * serves as the second factor of its own account only, and each answer serves once.
 */
import { MemberRole, OrganisationType } from '../src/common/organisation-type';
import { login, makeOrganisation, makeUser, PASSWORD } from './helpers/factory';
import { SoftwarePasskey } from './helpers/software-passkey';
import { startTestApp, TestApp } from './helpers/test-app';

const SIGN_IN = `mutation($c: ID!, $r: JSONObject!) { signInWithPasskey(challengeId: $c, response: $r) { accessToken } }`;
const LOGIN = `mutation($e: String!, $p: String!, $k: PasskeyAssertionInput) {
  login(email: $e, password: $p, passkey: $k) { accessToken }
}`;

describe('passkeys', () => {
  let t: TestApp;
  let org: string;

  beforeAll(async () => {
    t = await startTestApp();
    org = await makeOrganisation(t, OrganisationType.TERMINAL_OPERATOR);
  });
  afterAll(() => t.close());

  it('signs in with a passkey alone, and an answer serves once', async () => {
    const user = await makeUser(t, org, MemberRole.ANALYST);
    const passkey = new SoftwarePasskey(t);
    await passkey.register((await login(t, user.email)).token, 'laptop');
    const answer = await passkey.answer();
    const first = await t.gql(SIGN_IN, { c: answer.challengeId, r: answer.response });
    const me = await t.gql(`{ me { user { email } } }`, {}, first.data.signInWithPasskey.accessToken);
    expect(me.data.me.user.email).toBe(user.email);
    expect((await t.gql(SIGN_IN, { c: answer.challengeId, r: answer.response })).errors?.[0].extensions?.code).toBe(
      'UNAUTHENTICATED',
    );
  });

  it("takes a passkey as its own account's second factor, and no one else's", async () => {
    const owner = await makeUser(t, org);
    const other = await makeUser(t, org);
    const ownerKey = new SoftwarePasskey(t);
    const otherKey = new SoftwarePasskey(t);
    await ownerKey.register((await login(t, owner.email)).token);
    await otherKey.register((await login(t, other.email)).token);
    const wrong = await t.gql(LOGIN, { e: owner.email, p: PASSWORD, k: await otherKey.answer() });
    expect(wrong.errors?.[0]).toMatchObject({ message: 'Invalid credentials' });
    const right = await t.gql(LOGIN, { e: owner.email, p: PASSWORD, k: await ownerKey.answer() });
    expect(right.data?.login.accessToken).toBeTruthy();
  });
});
