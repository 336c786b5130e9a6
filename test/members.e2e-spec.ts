import { MemberRole, OrganisationType } from '../src/common/organisation-type';
import { LOGIN, makeOrganisation, makeUser, member, PASSWORD, TestUser } from './helpers/factory';
import { codeOf, startTestApp, TestApp } from './helpers/test-app';

const INVITE = `mutation($email: String!, $role: MemberRole!) { inviteMember(email: $email, role: $role) { id email role expiresAt } }`;
const ACCEPT = `mutation($token: String!, $name: String!, $password: String!) {
  acceptInvitation(token: $token, displayName: $name, password: $password) { accessToken organisation { id } }
}`;
const MEMBERS = `query($first: Int, $after: String) { members(first: $first, after: $after) { edges { node { userId email role } } pageInfo { hasNextPage endCursor } } }`;
const CHANGE_ROLE = `mutation($userId: ID!, $role: MemberRole!) { changeMemberRole(userId: $userId, role: $role) { userId role } }`;
const REMOVE = `mutation($userId: ID!) { removeMember(userId: $userId) }`;

const tokenFrom = (text: string) => decodeURIComponent(/token=([^\s&"]+)/.exec(text)![1]);

describe('members and invitations', () => {
  let t: TestApp;
  let orgA: string;
  let orgB: string;
  let adminA: TestUser;
  let adminB: TestUser;

  beforeAll(async () => {
    t = await startTestApp();
    orgA = await makeOrganisation(t, OrganisationType.TERMINAL_OPERATOR, ['NLRTM'], 'Terminal A');
    orgB = await makeOrganisation(t, OrganisationType.PORT_AUTHORITY, ['BEANR'], 'Authority B');
    adminA = await member(t, orgA, MemberRole.ORG_ADMIN);
    adminB = await member(t, orgB, MemberRole.ORG_ADMIN);
  });
  afterAll(() => t.close());

  it('e-mails a one-time invitation link whose token creates the account, once', async () => {
    const r = await t.gql(INVITE, { email: 'New.Analyst@Example.eu', role: 'ANALYST' }, adminA.token);
    expect(r.errors).toBeUndefined();
    expect(new Date(r.data.inviteMember.expiresAt).getTime() - Date.now()).toBeGreaterThan(71 * 3_600_000);
    const mail = await t.smtp.waitFor('new.analyst@example.eu');
    expect(mail.subject).toContain('Terminal A');
    expect(mail.text).toContain('on Harbourwatch as an analyst.'); // in words, not ANALYST
    expect(mail.text).toContain('http://harbourwatch.test/invitations/accept?token=');
    expect(mail.html).toContain('Accept the invitation');
    const token = tokenFrom(mail.text);
    const [row] = await t.dataSource.query(`SELECT token_hash FROM invitations WHERE id = $1`, [
      r.data.inviteMember.id,
    ]);
    expect(Buffer.from(row.token_hash).toString()).not.toContain(token);

    expect(codeOf(await t.gql(ACCEPT, { token, name: 'New Analyst', password: 'short' }))).toBe('BAD_USER_INPUT');
    const accepted = await t.gql(ACCEPT, { token, name: 'New Analyst', password: 'a-long-enough-password' });
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data.acceptInvitation.organisation.id).toBe(orgA);
    const me = await t.gql(
      `{ me { role user { email displayName } } }`,
      {},
      accepted.data.acceptInvitation.accessToken,
    );
    expect(me.data.me).toMatchObject({ role: 'ANALYST', user: { displayName: 'New Analyst' } });
    expect(codeOf(await t.gql(ACCEPT, { token, name: 'Again', password: 'a-long-enough-password' }))).toBe('NOT_FOUND');
  });

  it('sets the refresh token as an HttpOnly cookie when the browser console asks, as login does', async () => {
    await t.gql(INVITE, { email: 'console.user@example.eu', role: 'MEMBER' }, adminA.token);
    const token = tokenFrom((await t.smtp.waitFor('console.user@example.eu')).text);
    const res = await fetch(`${t.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: `mutation($token: String!) {
          acceptInvitation(token: $token, displayName: "Console User", password: "a-long-enough-password", refreshCookie: true) { refreshToken }
        }`,
        variables: { token },
      }),
    });
    expect(
      ((await res.json()) as { data: { acceptInvitation: { refreshToken: null } } }).data.acceptInvitation,
    ).toEqual({
      refreshToken: null,
    });
    expect(res.headers.getSetCookie().find((c) => c.startsWith('hw_refresh='))).toMatch(
      /^hw_refresh=[^;]{20,};.*HttpOnly.*Secure.*SameSite=Strict/,
    );
  });

  it("adds a membership to an existing account only with that account's password", async () => {
    const existing = await makeUser(t, orgB);
    await t.gql(INVITE, { email: existing.email, role: 'MEMBER' }, adminA.token);
    const token = tokenFrom((await t.smtp.waitFor(existing.email)).text);
    expect(codeOf(await t.gql(ACCEPT, { token, name: 'x', password: 'somebody-elses-password' }))).toBe(
      'UNAUTHENTICATED',
    );
    const ok = await t.gql(ACCEPT, { token, name: 'ignored', password: PASSWORD });
    expect(ok.data.acceptInvitation.organisation.id).toBe(orgA);
    expect(codeOf(await t.gql(LOGIN, { email: existing.email, password: PASSWORD }))).toBe('BAD_USER_INPUT'); // now two orgs
  });

  it('refuses an expired invitation', async () => {
    await t.gql(INVITE, { email: 'late@example.eu', role: 'MEMBER' }, adminA.token);
    const token = tokenFrom((await t.smtp.waitFor('late@example.eu')).text);
    await t.dataSource.query(
      `UPDATE invitations SET expires_at = now() - interval '1 minute' WHERE email = 'late@example.eu'`,
    );
    expect(codeOf(await t.gql(ACCEPT, { token, name: 'Late', password: 'a-long-enough-password' }))).toBe('NOT_FOUND');
  });

  it('refuses invitations by non-admins and with bad input', async () => {
    const analyst = await member(t, orgA, MemberRole.ANALYST);
    expect(codeOf(await t.gql(INVITE, { email: 'x@example.eu', role: 'MEMBER' }, analyst.token))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(INVITE, { email: 'not-an-email', role: 'MEMBER' }, adminA.token))).toBe('BAD_USER_INPUT');
    expect(codeOf(await t.gql(INVITE, { email: adminA.email, role: 'MEMBER' }, adminA.token))).toBe('CONFLICT');
  });

  it('changes roles and removes members; a removed member is out on the next request', async () => {
    const m = await member(t, orgA, MemberRole.MEMBER);
    const changed = await t.gql(CHANGE_ROLE, { userId: m.id, role: 'ANALYST' }, adminA.token);
    expect(changed.data.changeMemberRole).toEqual({ userId: m.id, role: 'ANALYST' });
    expect(codeOf(await t.gql(CHANGE_ROLE, { userId: adminA.id, role: 'MEMBER' }, m.token))).toBe('FORBIDDEN');
    expect((await t.gql(REMOVE, { userId: m.id }, adminA.token)).data.removeMember).toBe(true);
    expect(codeOf(await t.gql(`{ me { role } }`, {}, m.token))).toBe('UNAUTHENTICATED');
    expect(codeOf(await t.gql(REMOVE, { userId: m.id }, adminA.token))).toBe('NOT_FOUND');
  });

  it('never leaves an organisation without an admin', async () => {
    const org = await makeOrganisation(t, OrganisationType.OTHER);
    const only = await member(t, org, MemberRole.ORG_ADMIN);
    expect(codeOf(await t.gql(CHANGE_ROLE, { userId: only.id, role: 'MEMBER' }, only.token))).toBe('CONFLICT');
    expect(codeOf(await t.gql(REMOVE, { userId: only.id }, only.token))).toBe('CONFLICT');
  });

  it('lists members of the acting organisation only, in pages', async () => {
    const all = await t.gql(MEMBERS, { first: 100 }, adminA.token);
    const ids = all.data.members.edges.map((e: { node: { userId: string } }) => e.node.userId);
    expect(ids).toContain(adminA.id);
    expect(ids).not.toContain(adminB.id);
    const first = await t.gql(MEMBERS, { first: 1 }, adminA.token);
    expect(first.data.members.pageInfo.hasNextPage).toBe(true);
    const second = await t.gql(MEMBERS, { first: 1, after: first.data.members.pageInfo.endCursor }, adminA.token);
    expect(second.data.members.edges[0].node.userId).toBe(ids[1]);
  });

  it("gives an admin of A NOT_FOUND for B's members, and no way to invite into B", async () => {
    const bMember = await member(t, orgB, MemberRole.MEMBER);
    expect(codeOf(await t.gql(CHANGE_ROLE, { userId: bMember.id, role: 'ORG_ADMIN' }, adminA.token))).toBe('NOT_FOUND');
    expect(codeOf(await t.gql(REMOVE, { userId: bMember.id }, adminA.token))).toBe('NOT_FOUND');
    expect(codeOf(await t.gql(REMOVE, { userId: adminB.id }, adminA.token))).toBe('NOT_FOUND');
    // inviteMember always acts for the token's organisation: inviting lands in A, never in B.
    await t.gql(INVITE, { email: 'target@example.eu', role: 'ORG_ADMIN' }, adminA.token);
    const rows = await t.dataSource.query(`SELECT organisation_id FROM invitations WHERE email = 'target@example.eu'`);
    expect(rows).toEqual([{ organisation_id: orgA }]);
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM memberships WHERE organisation_id = $1 AND user_id = $2`,
      [orgB, bMember.id],
    );
    expect(n).toBe(1);
  });

  it('sends no invitation e-mail when the invitation is rolled back', async () => {
    // Two mutations in one document: the second fails, the whole request rolls back, no mail leaves.
    const r = await t.gql(
      `mutation { a: inviteMember(email: "rolled.back@example.eu", role: MEMBER) { id } b: changeMemberRole(userId: "00000000-0000-4000-8000-000000000000", role: MEMBER) { role } }`,
      {},
      adminA.token,
    );
    expect(codeOf(r)).toBe('NOT_FOUND');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(t.smtp.mails.some((m) => m.to.includes('rolled.back@example.eu'))).toBe(false);
    const rows = await t.dataSource.query(`SELECT 1 FROM invitations WHERE email = 'rolled.back@example.eu'`);
    expect(rows).toHaveLength(0);
  });
});
