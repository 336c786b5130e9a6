import { PasswordService } from '../../src/auth/password.service';
import { MemberRole, OrganisationType, sectorOf } from '../../src/common/organisation-type';
import { SoftwarePasskey } from './software-passkey';
import { TestApp } from './test-app';

export const PASSWORD = 'test-password-123';
let hash: Promise<string> | undefined;
let counter = 0;

export interface TestUser {
  id: string;
  email: string;
  organisationId: string | null;
  token: string;
  refreshToken: string;
}

/** Inserts an organisation directly (onboarding itself is tested through GraphQL elsewhere). */
export async function makeOrganisation(
  t: TestApp,
  type: OrganisationType,
  ports: string[] = ['NLRTM'],
  name = `${type} ${++counter} ${Math.random().toString(36).slice(2, 8)}`,
): Promise<string> {
  const [{ id }] = await t.dataSource.query(
    `INSERT INTO organisations (name, type, sector, ports) VALUES ($1, $2, $3, $4) RETURNING id`,
    [name, type, sectorOf(type), ports],
  );
  return id;
}

export async function makeUser(
  t: TestApp,
  organisationId: string | null,
  role: MemberRole = MemberRole.MEMBER,
  options: { platformAdmin?: boolean; email?: string } = {},
): Promise<{ id: string; email: string }> {
  hash ??= new PasswordService().hash(PASSWORD);
  const email = options.email ?? `user${++counter}.${Math.random().toString(36).slice(2, 8)}@example.eu`;
  const [{ id }] = await t.dataSource.query(
    `INSERT INTO users (email, display_name, password_hash, is_platform_admin) VALUES ($1, $2, $3, $4) RETURNING id`,
    [email, email.split('@')[0], await hash, options.platformAdmin ?? false],
  );
  if (organisationId) {
    await t.dataSource.query(`INSERT INTO memberships (organisation_id, user_id, role) VALUES ($1, $2, $3)`, [
      organisationId,
      id,
      role,
    ]);
  }
  return { id, email };
}

export const LOGIN = `mutation Login($email: String!, $password: String!, $organisationId: ID, $totp: String) {
  login(email: $email, password: $password, organisationId: $organisationId, totp: $totp) {
    accessToken refreshToken accessTokenExpiresAt organisation { id name }
  }
}`;

export async function login(
  t: TestApp,
  email: string,
  organisationId?: string,
): Promise<{ token: string; refreshToken: string }> {
  const r = await t.gql(LOGIN, { email, password: PASSWORD, organisationId });
  if (!r.data?.login) throw new Error(`login failed for ${email}: ${JSON.stringify(r.errors)}`);
  return { token: r.data.login.accessToken, refreshToken: r.data.login.refreshToken };
}

/** An organisation member, logged in. */
export async function member(
  t: TestApp,
  organisationId: string,
  role: MemberRole = MemberRole.MEMBER,
): Promise<TestUser> {
  const user = await makeUser(t, organisationId, role);
  return { ...user, organisationId, ...(await login(t, user.email)) };
}

/** An organisation member signed in with a passkey alone (SoftwarePasskey), the password session ended. */
export async function memberWithPasskey(
  t: TestApp,
  organisationId: string,
  role: MemberRole = MemberRole.MEMBER,
): Promise<TestUser> {
  const user = await makeUser(t, organisationId, role);
  const { token } = await login(t, user.email);
  const passkey = new SoftwarePasskey(t);
  await passkey.register(token);
  await t.gql(`mutation { logout }`, {}, token);
  return { ...user, organisationId, ...(await passkey.signIn()) };
}
