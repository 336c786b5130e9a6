/**
 * Issue 15, onboarding: a platform administrator creates an organisation and invites its first admin,
 * who accepts through the e-mailed link and invites colleagues. Invitation e-mails go through the
 * durable outbox; invitations can be resent, revoked, and expire.
 */
import { MemberRole, OrganisationType } from '../src/common/organisation-type';
import { makeOrganisation, member, TestUser } from './helpers/factory';
import { platformAdmin } from './helpers/platform-admin';
import { codeOf, startTestApp, TestApp } from './helpers/test-app';

const CREATE_ORG = `mutation($i: CreateOrganisationInput!) { createOrganisation(input: $i) { id } }`;
const INVITE = `mutation($email: String!, $role: MemberRole!, $org: ID) {
  inviteMember(email: $email, role: $role, organisationId: $org) { id organisationId email role status expiresAt } }`;
const ACCEPT = `mutation($token: String!, $name: String!, $password: String!) {
  acceptInvitation(token: $token, displayName: $name, password: $password) { accessToken organisation { id } }
}`;
const INVITATIONS = `query($org: ID) { invitations(organisationId: $org) { id email role status } }`;
const RESEND = `mutation($id: ID!) { resendInvitation(id: $id) { id status expiresAt } }`;
const REVOKE = `mutation($id: ID!) { revokeInvitation(id: $id) { id status } }`;
const PASSWORD = 'a-long-enough-password';

const tokenFrom = (text: string) => decodeURIComponent(/token=([^\s&"]+)/.exec(text)![1]);

describe('onboarding and invitations', () => {
  let t: TestApp;
  let platform: string;
  let elsewhere: TestUser;

  beforeAll(async () => {
    t = await startTestApp();
    platform = await platformAdmin(t);
    elsewhere = await member(t, await makeOrganisation(t, OrganisationType.POLICE, ['NLRTM']), MemberRole.ORG_ADMIN);
  });
  afterAll(() => t.close());

  const newOrganisation = async (name: string) => {
    const r = await t.gql(CREATE_ORG, { i: { name, type: 'TERMINAL_OPERATOR', ports: ['NLRTM'] } }, platform);
    expect(r.errors).toBeUndefined();
    return r.data.createOrganisation.id as string;
  };

  it('lets a platform administrator invite the first admin of a new organisation, who invites the others', async () => {
    const org = await newOrganisation('Delta Terminal');
    const invited = await t.gql(INVITE, { email: 'first.admin@delta.example', role: 'ORG_ADMIN', org }, platform);
    expect(invited.errors).toBeUndefined();
    expect(invited.data.inviteMember).toMatchObject({ organisationId: org, status: 'PENDING' });
    const listed = await t.gql(INVITATIONS, { org }, platform);
    expect(listed.data.invitations).toEqual([expect.objectContaining({ email: 'first.admin@delta.example' })]);

    const mail = await t.smtp.waitFor('first.admin@delta.example');
    expect(mail.subject).toContain('Delta Terminal');
    const admin = await t.gql(ACCEPT, { token: tokenFrom(mail.text), name: 'First Admin', password: PASSWORD });
    expect(admin.data.acceptInvitation.organisation.id).toBe(org);
    const adminToken = admin.data.acceptInvitation.accessToken;

    // Now it has a member: its admins invite, the platform administrator no longer can, nor see them.
    const colleague = await t.gql(INVITE, { email: 'analyst@delta.example', role: 'ANALYST' }, adminToken);
    expect(colleague.errors).toBeUndefined();
    const accepted = await t.gql(ACCEPT, {
      token: tokenFrom((await t.smtp.waitFor('analyst@delta.example')).text),
      name: 'Delta Analyst',
      password: PASSWORD,
    });
    expect(accepted.data.acceptInvitation.organisation.id).toBe(org);
    expect(codeOf(await t.gql(INVITE, { email: 'x@delta.example', role: 'ORG_ADMIN', org }, platform))).toBe(
      'CONFLICT',
    );
    expect((await t.gql(INVITATIONS, { org }, platform)).data.invitations).toEqual([]);
    const own = (await t.gql(INVITATIONS, {}, adminToken)).data.invitations;
    expect(own.map((i: { status: string }) => i.status)).toEqual(['ACCEPTED', 'ACCEPTED']);
  });

  it("gives a platform administrator a new organisation's first ORG_ADMIN and nothing else", async () => {
    const org = await newOrganisation('Echo Terminal');
    expect(codeOf(await t.gql(INVITE, { email: 'a@echo.example', role: 'ANALYST', org }, platform))).toBe(
      'BAD_USER_INPUT',
    );
    // Another organisation's admin naming it: as if it did not exist.
    expect(codeOf(await t.gql(INVITE, { email: 'a@echo.example', role: 'ORG_ADMIN', org }, elsewhere.token))).toBe(
      'NOT_FOUND',
    );
    expect(
      codeOf(
        await t.gql(INVITE, { email: 'a@echo.example', role: 'ORG_ADMIN', org: elsewhere.organisationId }, platform),
      ),
    ).toBe('CONFLICT');
  });

  it('sends again with a new link that replaces the old one, and revokes at once', async () => {
    const org = await newOrganisation('Foxtrot Terminal');
    const { id } = (await t.gql(INVITE, { email: 'boss@foxtrot.example', role: 'ORG_ADMIN', org }, platform)).data
      .inviteMember;
    const first = tokenFrom((await t.smtp.waitFor('boss@foxtrot.example')).text);
    const resent = await t.gql(RESEND, { id }, platform);
    expect(resent.data.resendInvitation.status).toBe('PENDING');
    await t.smtp.waitFor('boss@foxtrot.example', 10_000, 2);
    const mails = t.smtp.mails.filter((m) => m.to.includes('boss@foxtrot.example'));
    const second = tokenFrom(mails[1].text);
    expect(second).not.toBe(first);
    expect(codeOf(await t.gql(ACCEPT, { token: first, name: 'Boss', password: PASSWORD }))).toBe('NOT_FOUND');

    expect((await t.gql(REVOKE, { id }, platform)).data.revokeInvitation.status).toBe('REVOKED');
    expect(codeOf(await t.gql(ACCEPT, { token: second, name: 'Boss', password: PASSWORD }))).toBe('NOT_FOUND');
    expect(codeOf(await t.gql(RESEND, { id }, platform))).toBe('CONFLICT');
    // Another organisation's admin cannot tell it exists.
    expect(codeOf(await t.gql(REVOKE, { id }, elsewhere.token))).toBe('NOT_FOUND');
  });

  it('keeps the e-mail in the outbox while SMTP refuses it, and sends it once SMTP accepts', async () => {
    const org = await newOrganisation('Golf Terminal');
    t.smtp.deferred.set('later@golf.example', 1);
    await t.gql(INVITE, { email: 'later@golf.example', role: 'ORG_ADMIN', org }, platform);
    const mail = await t.smtp.waitFor('later@golf.example', 60_000);
    expect(t.smtp.deferred.get('later@golf.example')).toBe(0);
    const accepted = await t.gql(ACCEPT, { token: tokenFrom(mail.text), name: 'Later', password: PASSWORD });
    expect(accepted.data.acceptInvitation.organisation.id).toBe(org);
  }, 90_000);

  it('refuses an expired link and says the invitation expired', async () => {
    const org = await newOrganisation('Hotel Terminal');
    const { id } = (await t.gql(INVITE, { email: 'late@hotel.example', role: 'ORG_ADMIN', org }, platform)).data
      .inviteMember;
    const token = tokenFrom((await t.smtp.waitFor('late@hotel.example')).text);
    await t.dataSource.query(`UPDATE invitations SET expires_at = now() - interval '1 minute' WHERE id = $1`, [id]);
    expect(codeOf(await t.gql(ACCEPT, { token, name: 'Late', password: PASSWORD }))).toBe('NOT_FOUND');
    expect((await t.gql(INVITATIONS, { org }, platform)).data.invitations[0].status).toBe('EXPIRED');
    // Sending it again gives a new link that works.
    await t.gql(RESEND, { id }, platform);
    await t.smtp.waitFor('late@hotel.example', 10_000, 2);
    const again = t.smtp.mails.filter((m) => m.to.includes('late@hotel.example'))[1];
    expect(codeOf(await t.gql(ACCEPT, { token: tokenFrom(again.text), name: 'Late', password: PASSWORD }))).toBe('OK');
  });
});
