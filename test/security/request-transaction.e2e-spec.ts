/**
 * Issue 11, item 1: a request's transaction ends with its response. A query whose aliased field fails
 * fast (the response leaves at once) while a sibling still queries must not leave that sibling a
 * transaction nobody ends: no connection idle in a transaction, the audit lock free, login answering.
 */
import { MemberRole, OrganisationType } from '../../src/common/organisation-type';
import { LOGIN, makeOrganisation, member, PASSWORD, TestUser } from '../helpers/factory';
import { publishBulletin } from '../helpers/bulletins';
import { startTestApp, TestApp } from '../helpers/test-app';

const RACE = `query($id: ID!) {
  b: bulletin(id: $id) { title indicators { value } versions { title } }
  x: bulletin(id: "00000000-0000-0000-0000-000000000000") { id }
}`;

describe('the request transaction ends with the response', () => {
  let t: TestApp;
  let police: TestUser;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp({ DATABASE_POOL_SIZE: '10' });
    const terminal = await makeOrganisation(t, OrganisationType.TERMINAL_OPERATOR);
    const policeOrg = await makeOrganisation(t, OrganisationType.POLICE);
    const analyst = await member(t, terminal, MemberRole.ANALYST);
    police = await member(t, policeOrg, MemberRole.MEMBER);
    ids.AMBER = await publishBulletin(t, analyst.token, { tlp: 'AMBER', recipientOrganisationIds: [policeOrg] });
    ids.GREEN = await publishBulletin(t, analyst.token, { tlp: 'GREEN' });
  });
  afterAll(() => t.close());

  const idleInTransaction = async () =>
    Number(
      (
        await t.dataSource.query(
          `SELECT count(*) AS n FROM pg_stat_activity
            WHERE datname = current_database() AND application_name = 'harbourwatch' AND state LIKE 'idle in transaction%'`,
        )
      )[0].n,
    );

  it.each(['AMBER', 'GREEN'])('leaves no %s sibling field holding a transaction after the response', async (tlp) => {
    // More racing requests than the pool has connections: a leak per request would exhaust it.
    const answers = await Promise.all(Array.from({ length: 25 }, () => t.gql(RACE, { id: ids[tlp] }, police.token)));
    for (const r of answers) expect(r.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    await new Promise((r) => setTimeout(r, 500));
    expect(await idleInTransaction()).toBe(0);

    // Login takes the audit lock and a pooled connection: it answers at once.
    const login = await Promise.race([
      t.gql(LOGIN, { email: police.email, password: PASSWORD }),
      new Promise<null>((r) => setTimeout(() => r(null), 5000).unref()),
    ]);
    expect(login?.data?.login.accessToken).toBeTruthy();
    expect((await fetch(`${t.baseUrl}/health/ready`)).status).toBe(200);
  });

  it('counts concurrent failed sign-ins without one request waiting on a second connection', async () => {
    // Three times the pool: each failure is recorded after its request gave its connection back.
    const wrong = await Promise.all(
      Array.from({ length: 30 }, (_, i) => t.gql(LOGIN, { email: police.email, password: `wrong-password-${i}` })),
    );
    for (const r of wrong) expect(r.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    // Those that came after the lock engaged were refused without counting; every counted one is audited.
    const [{ n }] = await t.dataSource.query(
      `SELECT count(*)::int AS n FROM audit_events WHERE action = 'loginFailed'`,
    );
    const [row] = await t.dataSource.query(`SELECT failures, locked_until > now() AS locked FROM login_failures`);
    expect(row).toEqual({ failures: n, locked: true });
    expect(n).toBeGreaterThanOrEqual(5);
    await t.dataSource.query(`DELETE FROM login_failures`);
    expect((await t.gql(LOGIN, { email: police.email, password: PASSWORD })).data?.login.accessToken).toBeTruthy();
  });

  it('sets server-side timeouts on the application connections as a backstop', async () => {
    const [row] = await t.appDataSource.query(
      `SELECT current_setting('idle_in_transaction_session_timeout') AS idle, current_setting('statement_timeout') AS stmt`,
    );
    expect(row).toEqual({ idle: '15s', stmt: '30s' });
  });
});
