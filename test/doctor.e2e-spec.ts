import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backupDatabase } from '../src/cli/backup-archive';
import { checkDeployment, CheckResult } from '../src/cli/deployment-checks';
import { AppConfig } from '../src/config/config';
import { startTestApp, TestApp } from './helpers/test-app';

const byCheck = (results: CheckResult[]) => Object.fromEntries(results.map((r) => [r.check, r]));

describe('npm run doctor', () => {
  let t: TestApp;
  let config: AppConfig;
  beforeAll(async () => {
    t = await startTestApp();
    // A deployment of its own: its DATA_DIR (backups, generated keys), the test's database and SMTP sink.
    config = { ...t.config, DATA_DIR: await mkdtemp(join(tmpdir(), 'hw-doctor-')) };
  });
  afterAll(() => t.close());

  it('passes what is right and says what to fix for the rest', async () => {
    const results = byCheck(await checkDeployment(config, t.urls));
    expect(results.SMTP).toMatchObject({ status: 'ok' });
    expect(results['keys distinct']).toMatchObject({ status: 'ok' });
    expect(results.migrations).toMatchObject({ status: 'ok' });
    expect(results.clock).toMatchObject({ status: 'ok' });
    expect(results['database TLS']).toMatchObject({ status: 'ok', detail: 'on this machine' });
    // A development set-up: generated keys, http, no WAL archive and no backup are warnings only.
    expect(results.ENCRYPTION_KEY).toMatchObject({ status: 'warn', detail: expect.stringContaining('secret store') });
    expect(results.PUBLIC_URL).toMatchObject({ status: 'warn' });
    expect(results.backups).toMatchObject({ status: 'warn', detail: expect.stringContaining('npm run backup') });
    expect(results.idle_in_transaction_session_timeout.status).toBe('warn');
  });

  it('fails a production deployment with shared keys, a dead SMTP relay, no TLS and no backup', async () => {
    const key = Buffer.alloc(32, 1);
    const results = byCheck(
      await checkDeployment(
        {
          ...config,
          NODE_ENV: 'production',
          ENCRYPTION_KEY: key.toString('base64'),
          encryptionKey: key,
          AUDIT_SIGNING_KEY: key.toString('base64'),
          auditSigningKey: key,
          SMTP_URL: 'smtp://127.0.0.1:9',
          publicUrl: 'http://harbourwatch.example',
        },
        { ...t.urls, app: 'postgres://app:x@db.example:5432/harbourwatch' },
      ),
    );
    expect(results['keys distinct']).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('AUDIT_SIGNING_KEY equals ENCRYPTION_KEY'),
    });
    expect(results.SMTP.status).toBe('fail');
    expect(results.PUBLIC_URL.status).toBe('fail');
    expect(results['database TLS']).toMatchObject({ status: 'fail', detail: expect.stringContaining('sslmode') });
    expect(results.backups.status).toBe('fail');
    expect(results['WAL archiving'].status).toBe('fail');
    expect(results.JWT_SECRET.status).toBe('fail');
  });

  it('counts a backup of last night, as npm run backup writes it', async () => {
    await backupDatabase(t.urls.owner, config, join(config.DATA_DIR, 'backups', 'tonight'));
    const results = byCheck(await checkDeployment(config, t.urls));
    expect(results.backups).toMatchObject({
      status: 'ok',
      detail: expect.stringMatching(/^the newest is 0\.\d hours old$/),
    });
  });
});
