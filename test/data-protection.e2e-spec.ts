import { mkdtemp, readdir, utimes, writeFile } from 'node:fs/promises';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemberRole, OrganisationType } from '../src/common/organisation-type';
import { AppConfig, parseEnv } from '../src/config/config';
import { PersonalDataRetentionService } from '../src/data-protection/personal-data-retention.service';
import { registerMarkdown, registerOf, registerProblems } from '../src/data-protection/register';
import { MailService } from '../src/outbox/mail.service';
import { publishBulletin } from './helpers/bulletins';
import { makeOrganisation, makeUser, member } from './helpers/factory';
import { platformAdmin } from './helpers/platform-admin';
import { startTestApp, TestApp } from './helpers/test-app';

const REGISTER = join(__dirname, '..', 'docs', 'data-protection', 'register.md');

const COLUMNS = `SELECT c.table_name, c.column_name
                   FROM information_schema.columns c
                   JOIN information_schema.tables t USING (table_schema, table_name)
                  WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.table_name <> 'migrations'
                  ORDER BY c.table_name, c.ordinal_position`;

const REGISTER_QUERY = `query($org: ID) { dataProtectionRegister(organisationId: $org) {
  organisationId legalBases { category basis }
  tables { table categories personalColumns retention retentionDays lastPurgeAt lastPurged } } }`;

describe('register of processing', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ LEGAL_BASES: JSON.stringify({ ACCOUNT: 'GDPR art. 6(1)(b): the membership agreement' }) });
  });
  afterAll(() => t.close());

  it('declares every column of every table, personal data by category', async () => {
    expect(registerProblems(t.dataSource.entityMetadatas, await t.dataSource.query(COLUMNS))).toEqual([]);
    const users = registerOf(t.dataSource.entityMetadatas).find((r) => r.table === 'users')!;
    expect(users.personal).toMatchObject({ email: 'ACCOUNT', display_name: 'ACCOUNT' });
  });

  it('fails on a column a migration adds without a declaration, and on a declared column that is gone', async () => {
    await t.dataSource.query(`ALTER TABLE users ADD COLUMN home_address text`);
    await t.dataSource.query(`ALTER TABLE organisations RENAME COLUMN contact_phone TO phone`);
    try {
      expect(registerProblems(t.dataSource.entityMetadatas, await t.dataSource.query(COLUMNS))).toEqual([
        'organisations.phone: not declared (personal data of a category, or other)',
        'users.home_address: not declared (personal data of a category, or other)',
        'organisations.contact_phone: declared, but the table has no such column',
      ]);
    } finally {
      await t.dataSource.query(`ALTER TABLE users DROP COLUMN home_address`);
      await t.dataSource.query(`ALTER TABLE organisations RENAME COLUMN phone TO contact_phone`);
    }
  });

  it('is committed as docs/data-protection/register.md (npm run schema:emit rewrites it)', () => {
    const generated = registerMarkdown(registerOf(t.dataSource.entityMetadatas));
    if (process.env.UPDATE_SCHEMA) writeFileSync(REGISTER, generated);
    expect(readFileSync(REGISTER, 'utf8')).toBe(generated);
  });

  it("shows platform administrators an organisation's retention in force and legal bases; nobody else", async () => {
    const org = await makeOrganisation(t, OrganisationType.POLICE);
    await t.dataSource.query(
      `UPDATE organisations SET whistleblower_retention_days = 400, vetting_retention_days = 90 WHERE id = $1`,
      [org],
    );
    const admin = await platformAdmin(t);
    const r = await t.gql(REGISTER_QUERY, { org }, admin);
    expect(r.errors).toBeUndefined();
    const register = r.data.dataProtectionRegister;
    const table = (name: string) => register.tables.find((x: { table: string }) => x.table === name);
    expect(table('whistleblower_cases')).toMatchObject({ categories: ['CASE_CONTENT'], retentionDays: 400 });
    expect(table('vetting_records').retentionDays).toBe(90);
    expect(table('sessions').retentionDays).toBe(30);
    expect(table('users')).toMatchObject({ categories: ['ACCOUNT'], retentionDays: 90 });
    expect(table('bulletins')).toMatchObject({ categories: ['BULLETIN_CONTENT'], retentionDays: 730 });
    expect(table('server_instances').categories).toEqual([]);
    expect(register.legalBases).toContainEqual({
      category: 'ACCOUNT',
      basis: 'GDPR art. 6(1)(b): the membership agreement',
    });
    expect(register.legalBases).toContainEqual({ category: 'SIGHTING', basis: null });

    const outsider = await t.gql(REGISTER_QUERY, { org }, (await member(t, org, MemberRole.ORG_ADMIN)).token);
    expect(outsider.data).toBeNull();
    expect(outsider.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const unknown = await t.gql(REGISTER_QUERY, { org: '00000000-0000-4000-8000-000000000000' }, admin);
    expect(unknown.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const malformed = await t.gql(REGISTER_QUERY, { org: 'not-an-id' }, admin);
    expect(malformed.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('retention of sessions, invitations, login failures and deliveries', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const count = async (sql: string, params: unknown[] = []) =>
    Number((await t.dataSource.query(`SELECT count(*)::int AS n FROM ${sql}`, params))[0].n);

  it('deletes what is past its limit, keeps what is inside it, and audits the counts', async () => {
    const org = await makeOrganisation(t, OrganisationType.PORT_AUTHORITY);
    const author = await member(t, org, MemberRole.ANALYST);
    const person = await makeUser(t, org);
    const bulletin = await publishBulletin(t, author.token);
    const related = [await publishBulletin(t, author.token), await publishBulletin(t, author.token)];
    const q = (sql: string, params: unknown[] = []) => t.dataSource.query(sql, params);
    // Sessions: ended 31 days ago (expired, or revoked while still valid) go with their refresh tokens.
    const [{ id: expired }] = await q(
      `INSERT INTO sessions (user_id, organisation_id, expires_at, created_at) VALUES ($1, $2, $3, $3) RETURNING id`,
      [person.id, org, day(31)],
    );
    await q(`INSERT INTO refresh_tokens (session_id, token_hash, expires_at) VALUES ($1, 'x'::bytea, $2)`, [
      expired,
      day(31),
    ]);
    await q(`INSERT INTO sessions (user_id, organisation_id, expires_at, revoked_at) VALUES ($1, $2, $3, $4)`, [
      person.id,
      org,
      day(-10),
      day(31),
    ]);
    await q(`INSERT INTO sessions (user_id, organisation_id, expires_at, revoked_at) VALUES ($1, $2, $3, $4)`, [
      person.id,
      org,
      day(-10),
      day(29),
    ]);
    const sessionsBefore = await count(`sessions WHERE user_id = $1`, [person.id]);
    // Invitations: accepted 31 days ago goes, expired 29 days ago stays.
    for (const [n, accepted] of [
      [31, true],
      [29, false],
    ] as const) {
      await q(
        `INSERT INTO invitations (organisation_id, email, role, token_hash, invited_by, expires_at, accepted_at)
         VALUES ($1, $2, 'MEMBER', uuid_send(gen_random_uuid()), $3, $4, $5)`,
        [org, `invitee${n}@example.eu`, author.id, day(n), accepted ? day(n) : null],
      );
    }
    // Login failures: more than a batch of stale ones, and one locked until recently.
    await q(
      `INSERT INTO login_failures (user_id, source, failures, last_failure_at, account)
       SELECT $1, int4send(i), 3, now() - interval '40 days', 'a'::bytea FROM generate_series(1, 5003) i`,
      [person.id],
    );
    await q(
      `INSERT INTO login_failures (user_id, source, failures, last_failure_at, locked_until, account)
       VALUES ($1, 'recent'::bytea, 10, now() - interval '40 days', now() - interval '2 days', 'a'::bytea)`,
      [person.id],
    );
    // Deliveries: 181 days old go (but a pending one), 179 days old stay: 1 + 1 + 2 notices + 1 digest item go.
    const [{ id: webhook }] = await q(
      `INSERT INTO webhooks (organisation_id, name, url, max_tlp, secret_sealed, secret_hint, created_by)
       VALUES ($1, 'w', 'https://example.eu/h', 'GREEN', 's', 'h', $2) RETURNING id`,
      [org, author.id],
    );
    for (const [version, n, status] of [
      [1, 181, 'SENT'],
      [2, 181, 'PENDING'],
      [3, 179, 'SENT'],
    ] as const) {
      await q(
        `INSERT INTO notification_deliveries (bulletin_id, version, kind, user_id, organisation_id, subscription_id, channel, status, created_at)
         VALUES ($1, $6, 'PUBLISHED', $2, $3, gen_random_uuid(), 'EMAIL', $4, $5)`,
        [bulletin, person.id, org, status, day(n), version],
      );
      await q(
        `INSERT INTO webhook_deliveries (id, webhook_id, organisation_id, bulletin_id, version, kind, status, created_at)
         VALUES (gen_random_uuid(), $1, $2, $3, $6, 'PUBLISHED', $4, $5)`,
        [webhook, org, bulletin, status, day(n), version],
      );
      await q(
        `INSERT INTO correlation_notices (user_id, organisation_id, bulletin_id, related_bulletin_id, kind, created_at)
         VALUES ($1, $2, $3, $4, 'BULLETIN', $5)`,
        [person.id, org, bulletin, [bulletin, ...related][version - 1], day(n)],
      );
    }
    await q(
      `INSERT INTO digest_items (user_id, organisation_id, subscription_id, bulletin_id, version, kind, created_at)
       VALUES ($1, $2, gen_random_uuid(), $3, 1, 'PUBLISHED', $4), ($1, $2, gen_random_uuid(), $3, 2, 'PUBLISHED', $5)`,
      [person.id, org, bulletin, day(181), day(179)],
    );

    const purged = await t.app.get(PersonalDataRetentionService).purge();

    expect(await count(`sessions WHERE user_id = $1`, [person.id])).toBe(sessionsBefore - 2);
    expect(await count(`sessions WHERE id = $1`, [expired])).toBe(0);
    expect(await count(`refresh_tokens WHERE session_id = $1`, [expired])).toBe(0);
    expect(await count(`invitations WHERE organisation_id = $1`, [org])).toBe(1);
    expect(await count(`login_failures WHERE user_id = $1`, [person.id])).toBe(1);
    expect(await count(`notification_deliveries WHERE user_id = $1`, [person.id])).toBe(2);
    expect(await count(`notification_deliveries WHERE user_id = $1 AND status = 'PENDING'`, [person.id])).toBe(1);
    expect(await count(`webhook_deliveries WHERE webhook_id = $1`, [webhook])).toBe(2);
    expect(await count(`correlation_notices WHERE user_id = $1`, [person.id])).toBe(1);
    expect(await count(`digest_items WHERE user_id = $1`, [person.id])).toBe(1);

    expect(purged).toEqual(
      expect.arrayContaining([
        { action: 'purgeSessions', organisation_id: org, purged: 2 },
        { action: 'purgeInvitations', organisation_id: org, purged: 1 },
        { action: 'purgeLoginFailures', organisation_id: null, purged: 5003 },
        { action: 'purgeDeliveries', organisation_id: org, purged: 5 },
      ]),
    );
    const audited: { action: string; subject_organisation_id: string | null; details: object }[] = await q(
      `SELECT action, subject_organisation_id, details FROM audit_events
        WHERE action IN ('purgeSessions', 'purgeInvitations', 'purgeLoginFailures', 'purgeDeliveries')
          AND (subject_organisation_id = $1 OR subject_organisation_id IS NULL) ORDER BY action`,
      [org],
    );
    expect(audited).toEqual([
      { action: 'purgeDeliveries', subject_organisation_id: org, details: { deliveries: 5 } },
      { action: 'purgeInvitations', subject_organisation_id: org, details: { invitations: 1 } },
      { action: 'purgeLoginFailures', subject_organisation_id: null, details: { loginFailures: 5003 } },
      { action: 'purgeSessions', subject_organisation_id: org, details: { sessions: 2 } },
    ]);

    // The register shows the last purge of each rule for the organisation.
    const register = (await t.gql(REGISTER_QUERY, { org }, await platformAdmin(t))).data.dataProtectionRegister;
    const table = (name: string) => register.tables.find((x: { table: string }) => x.table === name);
    expect(table('sessions')).toMatchObject({ lastPurged: 2, retentionDays: 30 });
    expect(table('login_failures')).toMatchObject({ lastPurged: 5003 });
    expect(table('notification_deliveries')).toMatchObject({ lastPurged: 5, retentionDays: 180 });
    expect(new Date(table('sessions').lastPurgeAt).getTime()).toBeGreaterThan(Date.now() - 60_000);

    // A second run finds nothing more and records nothing.
    expect(await t.app.get(PersonalDataRetentionService).purge()).toEqual([]);
  });

  it("deletes bulletins past their organisation's retention after they ended, with everything on them", async () => {
    const own = await makeOrganisation(t, OrganisationType.POLICE);
    const other = await makeOrganisation(t, OrganisationType.PORT_AUTHORITY);
    const admin = await member(t, own, MemberRole.ORG_ADMIN);
    const profile = (days: number | null) =>
      t.gql(
        `mutation($input: OrganisationProfileInput!) { updateOrganisationProfile(input: $input) { bulletinRetentionDays } }`,
        { input: { ports: ['NLRTM'], bulletinRetentionDays: days } },
        admin.token,
      );
    expect((await profile(100)).errors?.[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      field: 'input.bulletinRetentionDays',
    });
    expect((await profile(200)).data.updateOrganisationProfile.bulletinRetentionDays).toBe(200);
    const ownAnalyst = await member(t, own, MemberRole.ANALYST);
    const otherAnalyst = await member(t, other, MemberRole.ANALYST);
    const q = (sql: string, params: unknown[] = []) => t.dataSource.query(sql, params);
    const ended = async (token: string, column: 'retracted_at' | 'valid_until', days: number) => {
      const id = await publishBulletin(t, token, { tlp: 'GREEN' });
      await q(
        `UPDATE bulletins SET ${column} = now() - make_interval(days => $2)${column === 'retracted_at' ? `, status = 'RETRACTED'` : ''} WHERE id = $1`,
        [id, days],
      );
      return id;
    };
    const gone = [
      await ended(ownAnalyst.token, 'retracted_at', 201), // past its organisation's 200 days
      await ended(otherAnalyst.token, 'valid_until', 731), // past the platform's 730
    ];
    const kept = [
      await ended(ownAnalyst.token, 'retracted_at', 199),
      await ended(otherAnalyst.token, 'valid_until', 729),
      await publishBulletin(t, otherAnalyst.token, { tlp: 'GREEN' }), // still current
    ];
    // Everything that can hang on a bulletin, on the one that goes.
    await t.gql(`mutation($id: ID!) { acknowledgeBulletin(id: $id) { id } }`, { id: gone[1] }, ownAnalyst.token);
    await q(`UPDATE bulletins SET status = 'PUBLISHED' WHERE id = $1`, [gone[0]]);
    await t.gql(`mutation($id: ID!) { acknowledgeBulletin(id: $id) { id } }`, { id: gone[0] }, otherAnalyst.token);
    await q(`UPDATE bulletins SET status = 'RETRACTED' WHERE id = $1`, [gone[0]]);
    await q(
      `INSERT INTO indicator_sightings (bulletin_id, author_organisation_id, organisation_id, user_id, indicator_type, value, search_key, kind, port, seen_at)
       SELECT $1, b.organisation_id, $2, $3, i.type, i.value, i.search_key, 'SEEN', 'NLRTM', now() FROM bulletins b JOIN bulletin_indicators i ON i.bulletin_id = b.id WHERE b.id = $1 LIMIT 1`,
      [gone[1], own, ownAnalyst.id],
    );
    await q(
      `INSERT INTO correlation_notices (user_id, organisation_id, bulletin_id, related_bulletin_id, kind) VALUES ($1, $2, $3, $4, 'BULLETIN')`,
      [ownAnalyst.id, own, kept[0], gone[1]],
    );
    await q(`INSERT INTO bulletin_reads (user_id, bulletin_id, version) VALUES ($1, $2, 1)`, [ownAnalyst.id, gone[1]]);

    const purged = await t.app.get(PersonalDataRetentionService).purge();
    expect(purged).toEqual(
      expect.arrayContaining([
        { action: 'purgeBulletins', organisation_id: own, purged: 1 },
        { action: 'purgeBulletins', organisation_id: other, purged: 1 },
      ]),
    );
    const left: { id: string }[] = await q(`SELECT id FROM bulletins WHERE id = ANY ($1)`, [[...gone, ...kept]]);
    expect(left.map((b) => b.id).sort()).toEqual([...kept].sort());
    // No table still points at what went (every foreign key to bulletins, as the database knows them).
    const references: { table: string; column: string }[] = await q(
      `SELECT c.conrelid::regclass::text AS table, a.attname AS column
         FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
        WHERE c.contype = 'f' AND c.confrelid = 'bulletins'::regclass`,
    );
    expect(references.length).toBeGreaterThan(10);
    for (const r of references) {
      const [{ n }] = await q(`SELECT count(*)::int AS n FROM ${r.table} WHERE ${r.column} = ANY ($1)`, [gone]);
      expect({ ...r, n }).toEqual({ ...r, n: 0 });
    }
    const [event] = await q(
      `SELECT details FROM audit_events WHERE action = 'purgeBulletins' AND subject_organisation_id = $1`,
      [own],
    );
    expect(event.details).toEqual({ bulletins: 1 });
  });

  it('deletes mail files older than the delivery retention when mail goes to files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hw-mail-'));
    const mail = new MailService(parseEnv({ DATA_DIR: dir }) as AppConfig);
    mail.onModuleInit();
    await mail.send({ to: 'a@example.eu', subject: 'old', text: 'x', html: '<p>x</p>' });
    await mail.send({ to: 'b@example.eu', subject: 'new', text: 'y', html: '<p>y</p>' });
    const [old] = (await readdir(join(dir, 'mail'))).sort();
    await utimes(join(dir, 'mail', old), day(181), day(181));
    await writeFile(join(dir, 'mail', 'notes.txt'), 'not a mail');
    expect(await mail.purgeFiles(180)).toBe(1);
    expect((await readdir(join(dir, 'mail'))).length).toBe(2);
  });
});

function day(n: number): Date {
  return new Date(Date.now() - n * 86_400_000);
}
