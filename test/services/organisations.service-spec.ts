/** Onboarding and the directory, one behaviour per test, through the services. */
import { CreateOrganisationInput } from '../../src/organisations/dto/organisation.inputs';
import type { Actor } from '../../src/common/actor';
import { MemberRole, OrganisationType, Sector } from '../../src/common/organisation-type';
import { MembersService } from '../../src/organisations/members.service';
import { OrganisationsService } from '../../src/organisations/organisations.service';
import { Fixtures, outcome, parsed } from '../helpers/fixtures';
import { startTestApp, TestApp } from '../helpers/test-app';

describe('organisations (service tier)', () => {
  let t: TestApp;
  let f: Fixtures;
  let organisations: OrganisationsService;

  beforeAll(async () => {
    t = await startTestApp();
    f = new Fixtures(t);
    organisations = f.service(OrganisationsService);
  });
  afterAll(() => t.close());

  const input = (name: string) =>
    parsed(CreateOrganisationInput, { name, type: OrganisationType.CUSTOMS, ports: ['NLRTM', 'NLRTM'] });

  it('onboards an organisation with its sector derived from its type, each port once', async () => {
    const admin = await f.newPlatformAdmin();
    const created = await f.as(admin, async () => organisations.create(admin, await input('Douane Rotterdam')));
    expect(created).toMatchObject({ name: 'Douane Rotterdam', sector: Sector.PUBLIC, ports: ['NLRTM'] });
  });

  it('refuses a second organisation of the same name, and keeps the first', async () => {
    const admin = await f.newPlatformAdmin();
    await f.as(admin, async () => organisations.create(admin, await input('Zoll Hamburg')));
    expect(await outcome(f.as(admin, async () => organisations.create(admin, await input('Zoll Hamburg'))))).toBe(
      'CONFLICT',
    );
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM organisations WHERE name = $1`, [
      'Zoll Hamburg',
    ]);
    expect(n).toBe(1);
  });

  it("tells an organisation's admins when each member last signed in and whether they have a second factor, and no one else", async () => {
    const terminal = await f.newOrganisation(OrganisationType.TERMINAL_OPERATOR, ['NLRTM']);
    const admin = await f.newMember(terminal, MemberRole.ORG_ADMIN);
    const analyst = await f.newMember(terminal, MemberRole.ANALYST);
    const members = f.service(MembersService);
    const signIn = (actor: Actor) => f.as(actor, () => members.signIn(actor, analyst.userId));
    expect(await signIn(admin)).toEqual({ lastSignInAt: null, secondFactor: false });
    const [{ created_at: at }] = await t.dataSource.query<{ created_at: Date }[]>(
      `INSERT INTO sessions (user_id, organisation_id, expires_at) VALUES ($1, $2, now() + interval '1 hour') RETURNING created_at`,
      [analyst.userId, terminal.id],
    );
    await t.dataSource.query(`UPDATE users SET totp_secret = 'sealed' WHERE id = $1`, [analyst.userId]);
    expect(await signIn(admin)).toEqual({ lastSignInAt: at, secondFactor: true });
    expect(await signIn(analyst)).toBeNull();
  });
});
