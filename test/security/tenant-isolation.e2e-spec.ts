/**
 * Row-level security as the backstop: with the application's own checks deliberately bypassed (raw
 * SQL through the very request transaction the resolvers use), another organisation's rows stay
 * invisible and cannot be written.
 */
import type { Actor } from '../../src/common/actor';
import { openDatabase } from '../../src/database/open-database';
import { dataModel } from '../../src/entities';
import { MemberRole, OrganisationType } from '../../src/common/organisation-type';
import { makeOrganisation, member, TestUser } from '../helpers/factory';
import { publishBulletin } from '../helpers/bulletins';
import { startTestApp, TestApp } from '../helpers/test-app';
import { actingAs, rawAs as rawSql } from '../helpers/raw-sql';

const TENANT_TABLES = [
  'memberships',
  'invitations',
  'sessions',
  'refresh_tokens',
  'sharing_rules',
  'bulletins',
  'bulletin_versions',
  'bulletin_indicators',
  'bulletin_acknowledgements',
  'bulletin_reads',
  'bulletin_responses',
  'machine_clients',
  'taxii_statuses',
  'webhooks',
  'webhook_deliveries',
  'indicator_sightings',
  'audit_events',
  'alert_subscriptions',
  'saved_views',
  'saved_view_defaults',
  'notification_deliveries',
  'digest_items',
  'vetting_records',
  'vetting_status_changes',
  'vetting_reminders',
  'vetting_purges',
  'audit_verifications',
  'case_reminders',
  'case_keys',
  'case_handlers',
  'case_bulletins',
  'user_case_keys',
  'whistleblower_cases',
  'whistleblower_messages',
  'whistleblower_attachments',
];

describe('tenant isolation in the database', () => {
  let t: TestApp;
  let a: TestUser;
  let b: TestUser;
  let adminB: TestUser;
  const bulletinsOfB: Record<string, string> = {};
  let greenOfB: string;

  const actorOf = (u: TestUser, type: OrganisationType): Actor =>
    actingAs(u.id, { id: u.organisationId!, type, ports: ['NLRTM'] }, MemberRole.ANALYST);
  const rawAs = <T = any>(actor: Actor | undefined, sql: string, params: unknown[] = []) =>
    rawSql<T>(t, actor, sql, params);

  beforeAll(async () => {
    t = await startTestApp();
    const orgA = await makeOrganisation(t, OrganisationType.POLICE, ['NLRTM']);
    const orgB = await makeOrganisation(t, OrganisationType.TERMINAL_OPERATOR, ['NLRTM']);
    a = await member(t, orgA, MemberRole.ANALYST);
    b = await member(t, orgB, MemberRole.ANALYST);
    adminB = await member(t, orgB, MemberRole.ORG_ADMIN);
    await t.gql(`mutation { inviteMember(email: "new.b@example.eu", role: MEMBER) { id } }`, {}, adminB.token);
    await t.gql(
      `mutation($input: SharingRuleInput!) { createSharingRule(input: $input) { id } }`,
      { input: { subject: 'BULLETIN', maxTlp: 'AMBER', audience: { organisationTypes: ['CUSTOMS'] } } },
      adminB.token,
    );
    for (const tlp of ['AMBER', 'AMBER_STRICT'])
      bulletinsOfB[tlp] = await publishBulletin(t, b.token, { tlp, title: `B ${tlp}` });
    bulletinsOfB.RED = await publishBulletin(t, b.token, { tlp: 'RED', recipientUserIds: [adminB.id] });
    greenOfB = await publishBulletin(t, b.token, { tlp: 'GREEN' });
  });
  afterAll(() => t.close());

  it('refuses to start when the application would connect as a role that bypasses row-level security', async () => {
    for (const url of [t.urls.owner, t.urls.superuser]) {
      await expect(openDatabase({ app: url, owner: t.urls.owner }, t.config, dataModel)).rejects.toThrow(
        /bypasses row-level security/,
      );
    }
  });

  it('connects as a role that cannot bypass row-level security, forced on every tenant table', async () => {
    const [role] = await t.appDataSource.query(
      `SELECT rolname, rolbypassrls, rolsuper FROM pg_roles WHERE rolname = current_user`,
    );
    expect(role).toEqual({ rolname: 'harbourwatch_app', rolbypassrls: false, rolsuper: false });
    const tables = await t.dataSource.query(
      `SELECT relname FROM pg_class WHERE relname = ANY($1) AND relrowsecurity AND relforcerowsecurity ORDER BY relname`,
      [TENANT_TABLES],
    );
    expect(tables.map((r: { relname: string }) => r.relname)).toEqual([...TENANT_TABLES].sort());
  });

  it("hides B's AMBER, AMBER_STRICT and RED bulletins from A even when the application's check is skipped", async () => {
    const seen = (await rawAs<{ id: string }>(actorOf(a, OrganisationType.POLICE), `SELECT id FROM bulletins`)).map(
      (r) => r.id,
    );
    expect(seen).toContain(greenOfB);
    for (const id of Object.values(bulletinsOfB)) expect(seen).not.toContain(id);
    const indicators = await rawAs(
      actorOf(a, OrganisationType.POLICE),
      `SELECT bulletin_id FROM bulletin_indicators WHERE bulletin_id = ANY($1)`,
      [Object.values(bulletinsOfB)],
    );
    expect(indicators).toEqual([]);
    const versions = await rawAs(
      actorOf(a, OrganisationType.POLICE),
      `SELECT bulletin_id FROM bulletin_versions WHERE bulletin_id = ANY($1)`,
      [Object.values(bulletinsOfB)],
    );
    expect(versions).toEqual([]);
  });

  it("shows none of B's memberships, invitations, sessions, refresh tokens, rules or audit events to A", async () => {
    for (const table of ['memberships', 'invitations', 'sessions', 'sharing_rules', 'audit_events']) {
      const column = table === 'audit_events' ? 'actor_organisation_id' : 'organisation_id';
      const rows = await rawAs(actorOf(a, OrganisationType.POLICE), `SELECT 1 FROM ${table} WHERE ${column} = $1`, [
        b.organisationId,
      ]);
      expect({ table, rows }).toEqual({ table, rows: [] });
    }
    const tokens = await rawAs(
      actorOf(a, OrganisationType.POLICE),
      `SELECT 1 FROM refresh_tokens rt JOIN sessions s ON s.id = rt.session_id WHERE s.user_id = $1`,
      [b.id],
    );
    expect(tokens).toEqual([]);
  });

  it('shows nothing at all to a transaction that has no identity', async () => {
    for (const table of TENANT_TABLES) {
      const [{ n }] = await rawAs(undefined, `SELECT count(*)::int AS n FROM ${table}`);
      expect({ table, n }).toEqual({ table, n: 0 });
    }
  });

  it("refuses writes into another organisation's rows", async () => {
    await expect(
      rawAs(
        actorOf(a, OrganisationType.POLICE),
        `INSERT INTO memberships (organisation_id, user_id, role) VALUES ($1, $2, 'ORG_ADMIN')`,
        [b.organisationId, a.id],
      ),
    ).rejects.toThrow(/row-level security/);
    await expect(
      rawAs(
        actorOf(a, OrganisationType.POLICE),
        `INSERT INTO bulletins (organisation_id, author_user_id, title, summary, body, category, severity, urgency, certainty, tlp)
       VALUES ($1, $2, 'x', 'x', 'x', 'OTHER', 'MINOR', 'PAST', 'UNKNOWN', 'GREEN')`,
        [b.organisationId, a.id],
      ),
    ).rejects.toThrow(/row-level security/);
    const updated = await rawAs(
      actorOf(a, OrganisationType.POLICE),
      `UPDATE bulletins SET title = 'hijacked' WHERE id = $1 RETURNING id`,
      [greenOfB],
    );
    expect(updated).toEqual([[], 0]); // TypeORM's [rows, affected] for UPDATE
    const [{ title }] = await t.dataSource.query(`SELECT title FROM bulletins WHERE id = $1`, [greenOfB]);
    expect(title).not.toBe('hijacked');
  });

  it('keeps vetting records to their authority and employer, and cross-matching to vetting authorities', async () => {
    const record = await t.gql(
      `mutation($i: RecordVettingInput!) { recordVetting(input: $i) { id } }`,
      {
        i: {
          documentNumber: 'RLS12345',
          issuingCountry: 'NL',
          fullName: 'Row Level',
          dateOfBirth: '1975-05-05',
          employerOrganisationId: b.organisationId,
          level: 'BASIC',
          status: 'REFUSED',
          reasonCode: 'OTHER',
        },
      },
      a.token,
    );
    const id = record.data.recordVetting.id;
    const shipper = await member(
      t,
      await makeOrganisation(t, OrganisationType.SHIPPING_COMPANY, ['NLRTM']),
      MemberRole.ANALYST,
    );
    const outsider = actorOf(shipper, OrganisationType.SHIPPING_COMPANY);
    for (const table of ['vetting_records', 'vetting_status_changes']) {
      const column = table === 'vetting_records' ? 'id' : 'record_id';
      expect(await rawAs(outsider, `SELECT 1 FROM ${table} WHERE ${column} = $1`, [id])).toEqual([]);
      expect(
        await rawAs(actorOf(b, OrganisationType.TERMINAL_OPERATOR), `SELECT 1 FROM ${table} WHERE ${column} = $1`, [
          id,
        ]),
      ).toHaveLength(1);
    }
    expect(
      await rawAs(outsider, `UPDATE vetting_records SET status = 'CLEARED' WHERE id = $1 RETURNING id`, [id]),
    ).toEqual([[], 0]);
    expect(
      await rawAs(
        actorOf(b, OrganisationType.TERMINAL_OPERATOR),
        `UPDATE vetting_records SET status = 'CLEARED' WHERE id = $1 RETURNING id`,
        [id],
      ),
    ).toEqual([[], 0]);
    const [{ subject_pseudonym }] = await t.dataSource.query(
      `SELECT subject_pseudonym FROM vetting_records WHERE id = $1`,
      [id],
    );
    // The cross-match function answers vetting authorities only, whatever the application lets through.
    expect(await rawAs(outsider, `SELECT * FROM vetting_cross_match($1::bytea[])`, [[subject_pseudonym]])).toEqual([]);
    const customs = await member(t, await makeOrganisation(t, OrganisationType.CUSTOMS, ['NLRTM']), MemberRole.ANALYST);
    expect(
      await rawAs(
        actorOf(customs, OrganisationType.CUSTOMS),
        `SELECT record_id FROM vetting_cross_match($1::bytea[])`,
        [[subject_pseudonym]],
      ),
    ).toEqual([{ record_id: id }]);
  });

  it('lets the policies admit what a sharing rule admits', async () => {
    const customs = await member(t, await makeOrganisation(t, OrganisationType.CUSTOMS, ['BEANR']), MemberRole.MEMBER);
    const seen = (
      await rawAs<{ id: string }>(
        actorOf(customs, OrganisationType.CUSTOMS),
        `SELECT id FROM bulletins WHERE organisation_id = $1`,
        [b.organisationId],
      )
    ).map((r) => r.id);
    expect(seen).toContain(bulletinsOfB.AMBER);
    expect(seen).not.toContain(bulletinsOfB.AMBER_STRICT);
    expect(seen).not.toContain(bulletinsOfB.RED);
  });

  it('stops admitting through a rule while its owner is suspended, bulletin and versions alike', async () => {
    const customs = await member(t, await makeOrganisation(t, OrganisationType.CUSTOMS, ['BEANR']), MemberRole.MEMBER);
    const seen = async () => {
      const as = actorOf(customs, OrganisationType.CUSTOMS);
      const id = [bulletinsOfB.AMBER];
      return [
        (await rawAs(as, `SELECT id FROM bulletins WHERE id = ANY($1)`, [id])).length,
        (await rawAs(as, `SELECT version FROM bulletin_versions WHERE bulletin_id = ANY($1)`, [id])).length,
      ];
    };
    expect(await seen()).toEqual([1, 1]);
    const standing = (status: string) =>
      t.dataSource.query(`UPDATE organisations SET status = $2 WHERE id = $1`, [b.organisationId, status]);
    await standing('SUSPENDED');
    try {
      expect(await seen()).toEqual([0, 0]);
    } finally {
      await standing('ACTIVE');
    }
    expect(await seen()).toEqual([1, 1]);
  });
});
