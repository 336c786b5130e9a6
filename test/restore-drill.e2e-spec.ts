import { chmod, cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { Client } from 'pg';
import { AuditCheckpointsService } from '../src/audit/audit-checkpoints.service';
import { backupDatabase, BackupManifest, restoreDatabase } from '../src/cli/backup-archive';
import { MemberRole, OrganisationType } from '../src/common/organisation-type';
import { verifyTrail } from './helpers/audit';
import { GET_BULLETIN, publishBulletin } from './helpers/bulletins';
import { login, makeOrganisation, member, TestUser } from './helpers/factory';
import { freePort } from './helpers/free-port';
import { SeparateCluster, startSeparateCluster } from './helpers/separate-cluster';
import { codeOf, startTestApp, TestApp } from './helpers/test-app';
import { CASE, CASES, OPT_IN, submitReport } from './helpers/whistleblowing';

const RECORD = `mutation($input: RecordVettingInput!) { recordVetting(input: $input) { id status } }`;
const CHECK = `query($d: String!, $c: String!) { checkVettingStatus(documentNumber: $d, issuingCountry: $c) { status level } }`;
const CANARY = `Restore-drill canary ${Date.now()}`;

async function rowCounts(url: string, manifest: BackupManifest): Promise<Record<string, number>> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const counts: Record<string, number> = {};
    for (const t of manifest.tables)
      counts[`${t.schema}.${t.name}`] = Number(
        (await client.query(`SELECT count(*) AS n FROM "${t.schema}"."${t.name}"`)).rows[0].n,
      );
    return counts;
  } finally {
    await client.end();
  }
}

/**
 * The operator's nightmare, rehearsed: every domain seeded, backed up, the database destroyed, the
 * backup restored into a new cluster, and the restored platform checked as its users would.
 */
describe('restore drill', () => {
  let t: TestApp;
  let fresh: SeparateCluster;
  let restored: TestApp | undefined;
  let dir: string;
  afterAll(async () => {
    await restored?.close();
    await fresh?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('restores every domain into a fresh cluster: audit chains, cases, vetting, bulletins, row counts', async () => {
    dir = await mkdtemp(join(tmpdir(), 'hw-drill-'));
    await chmod(dir, 0o755); // the cluster runs as the postgres system user on root machines
    t = await startTestApp({ TRUST_PROXY: 'true', REPORTS_PER_HOUR: '1000' });
    const authority = await makeOrganisation(t, OrganisationType.PORT_AUTHORITY, ['NLRTM']);
    const police = await makeOrganisation(t, OrganisationType.POLICE, ['NLRTM']);
    const terminal = await makeOrganisation(t, OrganisationType.TERMINAL_OPERATOR, ['NLRTM']);
    const author = await member(t, authority, MemberRole.ANALYST);
    const policeAdmin = await member(t, police, MemberRole.ORG_ADMIN);
    const policeAnalyst = await member(t, police, MemberRole.ANALYST);
    const outsider = await member(t, terminal, MemberRole.ANALYST);
    const readers: [string, TestUser][] = [
      ['author', author],
      ['police admin', policeAdmin],
      ['police analyst', policeAnalyst],
      ['terminal analyst', outsider],
    ];

    const bulletins = [
      await publishBulletin(t, author.token, { tlp: 'GREEN' }),
      await publishBulletin(t, author.token, { tlp: 'AMBER', recipientOrganisationIds: [police] }),
      await publishBulletin(t, author.token, { tlp: 'RED', recipientUserIds: [policeAnalyst.id] }),
    ];
    const access = async (app: TestApp, tokens: Record<string, string>) => {
      const seen: string[] = [];
      for (const id of bulletins)
        for (const [who] of readers)
          seen.push(`${id} ${who} ${codeOf(await app.gql(GET_BULLETIN, { id }, tokens[who]))}`);
      return seen;
    };
    const tokens = Object.fromEntries(readers.map(([who, u]) => [who, u.token]));
    const before = await access(t, tokens);
    expect(before).toContain(`${bulletins[1]} police analyst OK`);
    expect(before).toContain(`${bulletins[1]} terminal analyst NOT_FOUND`);
    expect(before).toContain(`${bulletins[2]} police analyst OK`);
    expect(before).toContain(`${bulletins[2]} police admin NOT_FOUND`);

    expect(codeOf(await t.gql(OPT_IN, { accept: true, days: 90 }, policeAdmin.token))).toBe('OK');
    await submitReport(t, { recipientOrganisationId: police, text: `A crane driver was paid. ${CANARY}` });
    const [caseId] = (await t.gql(CASES, {}, policeAdmin.token)).data.whistleblowerCases.edges.map(
      (e: { node: { id: string } }) => e.node.id,
    );

    const subject = { documentNumber: `XD${Date.now() % 10_000_000}`, issuingCountry: 'NL' };
    const recorded = await t.gql(
      RECORD,
      {
        input: {
          ...subject,
          fullName: 'Canary Drill Person',
          dateOfBirth: '1980-02-03',
          employerOrganisationId: terminal,
          level: 'BASIC',
          status: 'CLEARED',
          validUntil: new Date(Date.now() + 365 * 86_400_000).toISOString(),
        },
      },
      author.token,
    );
    expect(codeOf(recorded)).toBe('OK');
    expect((await t.gql(CHECK, { d: subject.documentNumber, c: 'NL' }, author.token)).data.checkVettingStatus).toEqual({
      status: 'CLEARED',
      level: 'BASIC',
    });
    await t.app.get(AuditCheckpointsService).checkpoint();
    expect((await verifyTrail(t)).ok).toBe(true);

    // Back up, then destroy the original database entirely.
    const manifest = await backupDatabase(t.urls.owner, t.config, join(dir, 'backup'));
    expect(manifest.migrations.length).toBeGreaterThan(50);
    expect(JSON.stringify(manifest)).not.toContain(t.config.encryptionKey.toString('base64'));
    // Case content stays sealed in the backup, as in the database: the canary is nowhere in clear.
    for (const table of manifest.tables) {
      const rows = gunzipSync(await readFile(join(dir, 'backup', table.file))).toString('utf8');
      expect({ file: table.file, canary: rows.includes(CANARY) }).toEqual({ file: table.file, canary: false });
    }
    const counts = await rowCounts(t.urls.owner, manifest);
    expect(Object.fromEntries(manifest.tables.map((x) => [`${x.schema}.${x.name}`, x.rows]))).toEqual(counts);
    expect(counts['public.bulletins']).toBe(3);
    expect(counts['public.whistleblower_cases']).toBe(1);
    expect(counts['public.audit_checkpoints']).toBeGreaterThan(0);
    const config = t.config;
    await t.close();
    const admin = new Client({ connectionString: process.env.TEST_PG_SUPERUSER_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE ${new URL(t.urls.owner).pathname.slice(1)} WITH (FORCE)`);
    await admin.end();

    // A new cluster, empty: the restore refuses a damaged file and other keys, then restores.
    fresh = await startSeparateCluster(join(dir, 'cluster'), await freePort());
    await expect(
      restoreDatabase(fresh.owner, { ...config, encryptionKeys: [Buffer.alloc(32, 7)] }, join(dir, 'backup')),
    ).rejects.toThrow(/ENCRYPTION_KEY differ/);
    const { laterMigrations } = await restoreDatabase(fresh.owner, config, join(dir, 'backup'));
    expect(laterMigrations).toEqual([]);
    expect(await rowCounts(fresh.owner, manifest)).toEqual(counts);
    await expect(restoreDatabase(fresh.owner, config, join(dir, 'backup'))).rejects.toThrow(/not empty/);

    restored = await startTestApp({ TRUST_PROXY: 'true' }, { urls: fresh });
    const verified = await verifyTrail(restored);
    expect(verified).toMatchObject({ ok: true });
    expect(verified.checkpoints).toBeGreaterThan(0);
    // Sessions survive: the same tokens read the same bulletins, no more, no less.
    expect(await access(restored, tokens)).toEqual(before);
    // The handler's password still opens the case (its key came back wrapped as it was).
    const handler = await login(restored, policeAdmin.email);
    expect((await restored.gql(CASE, { id: caseId }, handler.token)).data.whistleblowerCase.text).toContain(CANARY);
    // The pseudonym key still finds the vetting record by its document number.
    expect(
      (await restored.gql(CHECK, { d: subject.documentNumber, c: 'NL' }, author.token)).data.checkVettingStatus,
    ).toEqual({ status: 'CLEARED', level: 'BASIC' });
  });

  it('refuses a damaged backup before touching the database', async () => {
    const backup = join(dir, 'backup');
    const manifest = JSON.parse(await readFile(join(backup, 'manifest.json'), 'utf8')) as BackupManifest;
    const damaged = join(dir, 'damaged');
    await cp(backup, damaged, { recursive: true });
    await writeFile(join(damaged, manifest.tables[0].file), 'not the rows');
    await expect(restoreDatabase(fresh.owner, restored!.config, damaged)).rejects.toThrow(/is damaged/);
  });
});
