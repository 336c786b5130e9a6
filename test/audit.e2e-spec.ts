import { iso6346CheckDigit } from '../src/bulletins/indicators';
import { MemberRole, OrganisationType } from '../src/common/organisation-type';
import { makeOrganisation, member, TestUser } from './helpers/factory';
import { GET_BULLETIN, publishBulletin } from './helpers/bulletins';
import { platformAdmin } from './helpers/platform-admin';
import { codeOf, startTestApp, TestApp } from './helpers/test-app';
import { verifyTrail } from './helpers/audit';

const EVENTS = `query($filter: AuditEventFilter, $first: Int, $after: String) {
  auditEvents(filter: $filter, first: $first, after: $after) {
    edges { node { seq action objectType objectId actorUserId actorOrganisationId subjectOrganisationId details hash prevHash } }
    pageInfo { hasNextPage endCursor }
  }
}`;

describe('audit trail', () => {
  let t: TestApp;
  let adminA: TestUser;
  let analystA: TestUser;
  let police: TestUser;
  let adminPolice: TestUser;
  let orgPolice: string;

  beforeAll(async () => {
    t = await startTestApp();
    const a = await makeOrganisation(t, OrganisationType.TERMINAL_OPERATOR);
    adminA = await member(t, a, MemberRole.ORG_ADMIN);
    analystA = await member(t, a, MemberRole.ANALYST);
    orgPolice = await makeOrganisation(t, OrganisationType.POLICE);
    police = await member(t, orgPolice, MemberRole.MEMBER);
    adminPolice = await member(t, orgPolice, MemberRole.ORG_ADMIN);
  });
  afterAll(() => t.close());

  const count = async () => Number((await t.dataSource.query(`SELECT count(*) AS n FROM audit_events`))[0].n);

  it('appends one event per mutation, in its transaction, chained by hash', async () => {
    const before = await count();
    const id = await publishBulletin(t, analystA.token, { tlp: 'AMBER', recipientOrganisationIds: [orgPolice] });
    const rows = await t.dataSource.query(
      `SELECT action, object_id, actor_user_id, subject_organisation_id FROM audit_events WHERE seq > $1 ORDER BY seq`,
      [before],
    );
    expect(rows).toEqual([
      {
        action: 'createBulletin',
        object_id: id,
        actor_user_id: analystA.id,
        subject_organisation_id: analystA.organisationId,
      },
      {
        action: 'publishBulletin',
        object_id: id,
        actor_user_id: analystA.id,
        subject_organisation_id: analystA.organisationId,
      },
    ]);
    expect(await verifyTrail(t)).toMatchObject({ ok: true });
  });

  it('writes no event for a mutation that failed', async () => {
    const before = await count();
    const r = await t.gql(
      `mutation { removeMember(userId: "00000000-0000-4000-8000-000000000000") }`,
      {},
      adminA.token,
    );
    expect(codeOf(r)).toBe('NOT_FOUND');
    expect(await count()).toBe(before);
  });

  it('keeps secrets and free text out of event details', async () => {
    await t.gql(`mutation { inviteMember(email: "secret.person@example.eu", role: ANALYST) { id } }`, {}, adminA.token);
    const [row] = await t.dataSource.query(
      `SELECT details FROM audit_events WHERE action = 'inviteMember' ORDER BY seq DESC LIMIT 1`,
    );
    expect(row.details).toEqual({ arguments: { email: '[text]', role: 'ANALYST' } });
    const all = JSON.stringify(await t.dataSource.query(`SELECT details FROM audit_events`));
    expect(all).not.toMatch(/test-password-123|secret\.person/);
  });

  it('filters the trail by who acted', async () => {
    const amber = await publishBulletin(t, analystA.token, { tlp: 'AMBER', recipientOrganisationIds: [orgPolice] });
    await t.gql(GET_BULLETIN, { id: amber }, police.token);
    const byActor = async (actorUserId: string) =>
      (
        await t.gql(EVENTS, { filter: { actorUserId, objectId: amber }, first: 50 }, adminA.token)
      ).data.auditEvents.edges.map((e: { node: { action: string; actorUserId: string } }) => [
        e.node.action,
        e.node.actorUserId,
      ]);
    expect(await byActor(police.id)).toEqual([['readBulletin', police.id]]);
    expect((await byActor(analystA.id)).map(([action]: string[]) => action)).toEqual(
      expect.arrayContaining(['createBulletin', 'publishBulletin']),
    );
  });

  it('audits every opening of a bulletin (AMBER and above a sensitive read), and shows it to the author organisation', async () => {
    const amber = await publishBulletin(t, analystA.token, { tlp: 'AMBER', recipientOrganisationIds: [orgPolice] });
    const green = await publishBulletin(t, analystA.token, { tlp: 'GREEN' });
    await t.gql(GET_BULLETIN, { id: amber }, police.token);
    await t.gql(GET_BULLETIN, { id: green }, police.token);
    const reads = await t.gql(EVENTS, { filter: { action: 'readBulletin' } }, adminA.token);
    const seen = reads.data.auditEvents.edges.map(
      (e: { node: { objectId: string; actorOrganisationId: string } }) => e.node,
    );
    expect(seen).toContainEqual(
      expect.objectContaining({
        objectId: amber,
        actorOrganisationId: orgPolice,
        subjectOrganisationId: analystA.organisationId,
      }),
    );
    // GREEN too: the originator's view counts who opened it.
    expect(seen).toContainEqual(expect.objectContaining({ objectId: green, actorOrganisationId: orgPolice }));
    // The reader's own admins see it too.
    const own = await t.gql(EVENTS, { filter: { action: 'readBulletin', objectId: amber } }, adminPolice.token);
    expect(own.data.auditEvents.edges).toHaveLength(1);
  });

  it('audits lists and searches that return AMBER and above with one event per author organisation, not one per row', async () => {
    const container = `TGHU765432${iso6346CheckDigit('TGHU765432')}`;
    const amber = await publishBulletin(t, analystA.token, {
      tlp: 'AMBER',
      recipientOrganisationIds: [orgPolice],
      indicators: [{ type: 'CONTAINER_NUMBER', value: container }],
    });
    const strict = await publishBulletin(t, analystA.token, {
      tlp: 'AMBER_STRICT',
      recipientOrganisationIds: [orgPolice],
      indicators: [{ type: 'CONTAINER_NUMBER', value: container }],
    });
    const green = await publishBulletin(t, analystA.token, {
      tlp: 'GREEN',
      indicators: [{ type: 'CONTAINER_NUMBER', value: container }],
    });
    for (const [action, query, variables] of [
      ['listBulletins', `{ bulletins(first: 50) { edges { node { id } } } }`, {}],
      ['searchIndicators', `query($v: String!) { searchIndicators(value: $v) { bulletin { id } } }`, { v: container }],
    ] as const) {
      await t.gql(query, variables, police.token);
      const events = (await t.gql(EVENTS, { filter: { action }, first: 50 }, adminA.token)).data.auditEvents.edges.map(
        (e: { node: { details: { bulletins: { id: string }[] }; actorOrganisationId: string } }) => e.node,
      );
      const mine = events.filter((e: { actorOrganisationId: string }) => e.actorOrganisationId === orgPolice);
      expect(mine).toHaveLength(1);
      const ids = mine[0].details.bulletins.map((b: { id: string }) => b.id);
      expect(ids).toEqual(expect.arrayContaining([amber, strict]));
      expect(ids).not.toContain(green);
    }
  });

  it("keeps other organisations' events out of an admin's view, and the trail from non-admins", async () => {
    const r = await t.gql(EVENTS, { first: 100 }, adminPolice.token);
    for (const { node } of r.data.auditEvents.edges) {
      expect([node.actorOrganisationId, node.subjectOrganisationId]).toContain(orgPolice);
    }
    expect(codeOf(await t.gql(EVENTS, {}, police.token))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(EVENTS, {}, analystA.token))).toBe('FORBIDDEN');
  });

  it('records logins and failed logins', async () => {
    const u = await member(t, orgPolice, MemberRole.MEMBER);
    await t.gql(`mutation { login(email: "${u.email}", password: "wrong-password-1") { accessToken } }`);
    const rows = await t.dataSource.query(
      `SELECT action FROM audit_events WHERE object_id IN (SELECT id::text FROM sessions WHERE user_id = $1) OR (object_id = $1::text) ORDER BY seq`,
      [u.id],
    );
    expect(rows.map((r: { action: string }) => r.action)).toEqual(['sessionStarted', 'loginFailed']);
  });

  it('keeps every chain unforked under concurrent mutations', async () => {
    const admin = await platformAdmin(t);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.gql(
          `mutation($n: String!) { createOrganisation(input: { name: $n, type: OTHER, ports: ["NLRTM"] }) { id } }`,
          { n: `Concurrent org ${i}` },
          admin,
        ),
      ),
    );
    const result = await verifyTrail(t);
    expect(result).toMatchObject({ ok: true, count: await count() });
  });

  it('gives the application role INSERT and SELECT on the trail, nothing more', async () => {
    for (const sql of [`UPDATE audit_events SET action = 'x'`, `DELETE FROM audit_events`, `TRUNCATE audit_events`]) {
      await expect(t.appDataSource.query(sql)).rejects.toThrow(/permission denied/);
    }
  });

  it('refuses UPDATE, DELETE and TRUNCATE, even for the table owner', async () => {
    for (const sql of [`UPDATE audit_events SET action = 'x'`, `DELETE FROM audit_events`, `TRUNCATE audit_events`]) {
      await expect(t.dataSource.query(sql)).rejects.toThrow(/append-only/);
    }
  });

  it('finds the first broken link when an event is tampered with', async () => {
    const [{ seq }] = await t.dataSource.query(`SELECT seq FROM audit_events ORDER BY seq LIMIT 1 OFFSET 2`);
    // Only the schema owner (or a superuser) can get past the trigger: an attacker with full database access.
    await t.dataSource.query(`ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_update_delete`);
    await t.dataSource.query(`UPDATE audit_events SET details = '{"arguments":{}}' WHERE seq = $1`, [seq]);
    await t.dataSource.query(`ALTER TABLE audit_events ENABLE TRIGGER audit_events_no_update_delete`);
    expect(await verifyTrail(t)).toMatchObject({
      ok: false,
      seq: Number(seq),
      reason: 'its content does not match its hash',
    });
  });
});
