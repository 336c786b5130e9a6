/**
 * A rolling upgrade: the new release migrates the database while the previous release still serves.
 * Migrations may only expand (ARCHITECTURE.md, the operators' guide), so the previous release's server,
 * built from its commit (package.json "previousRelease"), must work on the new schema beside the new
 * server: sign in, publish, read what the other wrote. A migration that contracts fails here.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemberRole, OrganisationType } from '../src/common/organisation-type';
import { bulletinInput, CREATE_BULLETIN, GET_BULLETIN, PUBLISH_BULLETIN, publishBulletin } from './helpers/bulletins';
import { LOGIN, login, makeOrganisation, makeUser, PASSWORD } from './helpers/factory';
import { freePort } from './helpers/free-port';
import { SmtpSink } from './helpers/smtp-sink';
import { codeOf, startTestApp, TestApp } from './helpers/test-app';
import { until } from './helpers/wait';

const ROOT = join(__dirname, '..');
const PREVIOUS = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { previousRelease: string })
  .previousRelease;

describe('the previous release on the new schema', () => {
  let current: TestApp;
  let previous: ChildProcess | undefined;
  const smtp = new SmtpSink();
  const dir = mkdtempSync(join(tmpdir(), 'hw-previous-'));

  afterAll(async () => {
    previous?.kill('SIGTERM');
    await current?.close();
    await smtp.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves beside the new release: each reads what the other wrote', async () => {
    // The previous release's server, built from its commit with this checkout's dependencies.
    execFileSync('sh', ['-c', `git -C "${ROOT}" archive ${PREVIOUS} | tar -x -C "${dir}"`]);
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
    execFileSync(join(ROOT, 'node_modules', '.bin', 'nest'), ['build'], { cwd: dir, stdio: 'ignore' });

    // The new release migrates (the test database is at this checkout's migrations) and serves.
    current = await startTestApp();
    const org = await makeOrganisation(current, OrganisationType.PORT_AUTHORITY, ['NLRTM']);
    const reader = await makeOrganisation(current, OrganisationType.POLICE, ['NLRTM']);
    const author = await makeUser(current, org, MemberRole.ANALYST);
    const police = await makeUser(current, reader, MemberRole.ANALYST);

    await smtp.start();
    const port = await freePort();
    previous = spawn(process.execPath, [join(dir, 'dist', 'src', 'main.js')], {
      cwd: dir,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        PORT: String(port),
        DATABASE_URL: current.urls.app,
        DATABASE_OWNER_URL: current.urls.owner,
        DATA_DIR: process.env.TEST_DATA_DIR,
        SMTP_URL: smtp.url,
        LOG_LEVEL: 'error',
      },
      stdio: 'ignore',
    });
    const old = async (query: string, variables: Record<string, unknown> = {}, token?: string) =>
      (
        await fetch(`http://127.0.0.1:${port}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify({ query, variables }),
        })
      ).json() as Promise<{ data?: any; errors?: { extensions?: { code?: string } }[] }>;
    await until(
      () =>
        fetch(`http://127.0.0.1:${port}/health/ready`).then(
          (r) => r.ok,
          () => false,
        ),
      60_000,
    );

    // Written by the previous release, read by both.
    const signedIn = await old(LOGIN, { email: author.email, password: PASSWORD });
    expect(signedIn.errors).toBeUndefined();
    const oldToken: string = signedIn.data.login.accessToken;
    const created = await old(
      CREATE_BULLETIN,
      { input: bulletinInput({ tlp: 'AMBER', recipientOrganisationIds: [reader] }) },
      oldToken,
    );
    expect(created.errors).toBeUndefined();
    const fromOld: string = created.data.createBulletin.id;
    expect((await old(PUBLISH_BULLETIN, { id: fromOld }, oldToken)).errors).toBeUndefined();
    const policeToken = (await login(current, police.email)).token;
    expect(codeOf(await current.gql(GET_BULLETIN, { id: fromOld }, policeToken))).toBe('OK');

    // Written by the new release, read by the previous one; a session of one works on the other.
    const fromNew = await publishBulletin(current, (await login(current, author.email)).token, {
      tlp: 'AMBER',
      recipientOrganisationIds: [reader],
    });
    const read = await old(GET_BULLETIN, { id: fromNew }, policeToken);
    expect(read.errors).toBeUndefined();
    expect(read.data.bulletin.id).toBe(fromNew);
    const feed = await old(`{ bulletins(first: 10) { edges { node { id } } } }`, {}, policeToken);
    expect(feed.data.bulletins.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual(
      expect.arrayContaining([fromOld, fromNew]),
    );
    // What the previous release leaves out of view, it still refuses.
    const outsider = await makeUser(
      current,
      await makeOrganisation(current, OrganisationType.SHIPPING_COMPANY, ['DEHAM']),
    );
    const outsiderToken = (await old(LOGIN, { email: outsider.email, password: PASSWORD })).data.login.accessToken;
    expect((await old(GET_BULLETIN, { id: fromNew }, outsiderToken)).errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });
});
