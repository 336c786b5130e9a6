import { generate } from 'otplib';
import { MemberRole } from '../../src/common/organisation-type';
import { login, makeUser } from './factory';
import { TestApp } from './test-app';

/** A platform admin with TOTP confirmed, logged in. */
export async function platformAdmin(t: TestApp): Promise<string> {
  const admin = await makeUser(t, null, MemberRole.MEMBER, { platformAdmin: true });
  const { token } = await login(t, admin.email);
  const { secret } = (await t.gql(`mutation { enrolTotp { secret otpauthUrl } }`, {}, token)).data.enrolTotp;
  await t.gql(`mutation($c: String!) { confirmTotp(code: $c) }`, { c: await generate({ secret }) }, token);
  return token;
}
