import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { Client } from 'pg';
import { migrations } from '../../migrations';
import { AppConfig } from '../config/config';
import { DatabaseUrls } from '../database/roles';
import { readManifest } from './backup-archive';

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface CheckResult {
  check: string;
  status: CheckStatus;
  /** What was found, and when it is not ok, what to do about it. */
  detail: string;
}

/** A backup older than this is not last night's. */
const BACKUP_MAX_AGE_HOURS = 26;
/** Sessions, TOTP windows and audit times disagree beyond this. */
const CLOCK_SKEW_MS = 2000;

const ok = (check: string, detail: string): CheckResult => ({ check, status: 'ok', detail });
const warn = (check: string, detail: string): CheckResult => ({ check, status: 'warn', detail });
const fail = (check: string, detail: string): CheckResult => ({ check, status: 'fail', detail });

/** Each key protects something else: one leaked or rotated must not expose or break the others. */
function keys(config: AppConfig): CheckResult[] {
  const production = config.NODE_ENV === 'production';
  const named: [string, string | undefined, Buffer | string][] = [
    ['ENCRYPTION_KEY', config.ENCRYPTION_KEY, config.encryptionKey],
    ['JWT_SECRET', config.JWT_SECRET, config.jwtSecret],
    ['VETTING_PSEUDONYM_KEY', config.VETTING_PSEUDONYM_KEY, config.pseudonymKey],
    ['AUDIT_SIGNING_KEY', config.AUDIT_SIGNING_KEY, config.auditSigningKey],
    ['INSTANCE_SIGNING_KEY', config.INSTANCE_SIGNING_KEY, config.instanceSigningKey],
  ];
  const results = named.map(([name, configured]) =>
    configured
      ? ok(name, 'configured')
      : (production ? fail : warn)(
          name,
          `not configured: a key generated under ${config.DATA_DIR}/secrets is in use; set ${name} from your secret store, and back it up apart from the database`,
        ),
  );
  const seen = new Map<string, string>();
  for (const [name, , value] of named) {
    const bytes = Buffer.isBuffer(value) ? value.toString('hex') : Buffer.from(value).toString('hex');
    const twin = seen.get(bytes);
    if (twin) results.push(fail('keys distinct', `${name} equals ${twin}: give each key its own random value`));
    seen.set(bytes, name);
  }
  if (!results.some((r) => r.check === 'keys distinct')) results.push(ok('keys distinct', 'every key differs'));
  return results;
}

function tls(config: AppConfig, urls: DatabaseUrls): CheckResult[] {
  const production = config.NODE_ENV === 'production';
  const results = [
    config.publicUrl.startsWith('https://')
      ? ok('PUBLIC_URL', config.publicUrl)
      : (production ? fail : warn)(
          'PUBLIC_URL',
          `${config.publicUrl} is not https: browsers would send sessions in clear; serve over TLS and set PUBLIC_URL`,
        ),
  ];
  const db = new URL(urls.app);
  const local = ['localhost', '127.0.0.1', '::1'].includes(db.hostname);
  const sslmode = db.searchParams.get('sslmode');
  results.push(
    local || ['require', 'verify-ca', 'verify-full'].includes(sslmode ?? '')
      ? ok('database TLS', local ? 'on this machine' : `sslmode=${sslmode}`)
      : (production ? fail : warn)(
          'database TLS',
          `${db.hostname} is reached without TLS: add sslmode=verify-full to DATABASE_URL and DATABASE_OWNER_URL`,
        ),
  );
  return results;
}

async function smtp(config: AppConfig): Promise<CheckResult> {
  if (!config.SMTP_URL)
    return (config.NODE_ENV === 'production' ? fail : warn)(
      'SMTP',
      `SMTP_URL is not set: mails are written to ${config.DATA_DIR}/mail and nobody is told anything`,
    );
  const url = new URL(config.SMTP_URL);
  url.searchParams.set('connectionTimeout', '5000');
  const transport = nodemailer.createTransport(url.toString());
  try {
    await transport.verify();
    return ok('SMTP', `${url.host} accepts a connection`);
  } catch (err) {
    return fail('SMTP', `${url.host}: ${(err as Error).message}; check SMTP_URL and the relay`);
  } finally {
    transport.close();
  }
}

async function database(config: AppConfig, urls: DatabaseUrls): Promise<CheckResult[]> {
  const client = new Client({ connectionString: urls.owner, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (err) {
    return [fail('database', `the owner's connection failed: ${(err as Error).message}`)];
  }
  try {
    const results: CheckResult[] = [];
    const sent = Date.now();
    const [{ now, idle, archive }] = (
      await client.query<{ now: Date; idle: string; archive: string }>(
        `SELECT clock_timestamp() AS now, current_setting('idle_in_transaction_session_timeout') AS idle,
                current_setting('archive_mode') AS archive`,
      )
    ).rows;
    const skew = Math.abs(now.getTime() - (sent + Date.now()) / 2);
    results.push(
      skew <= CLOCK_SKEW_MS
        ? ok('clock', `within ${Math.round(skew)} ms of the database's`)
        : fail('clock', `${Math.round(skew)} ms from the database's: run NTP on both machines`),
    );
    const applied = Number((await client.query(`SELECT count(*) AS n FROM migrations`)).rows[0].n);
    results.push(
      applied === migrations.length
        ? ok('migrations', `all ${applied} applied`)
        : applied < migrations.length
          ? warn('migrations', `${migrations.length - applied} pending: they run when the server starts`)
          : fail('migrations', 'the database is at a newer release than this code: deploy that release'),
    );
    results.push(
      idle === '0'
        ? warn(
            'idle_in_transaction_session_timeout',
            `0 on the server: the application sets ${config.DATABASE_IDLE_IN_TRANSACTION_TIMEOUT_MS} ms on its own connections, but a psql session left in a transaction holds locks for ever; set it for the database (ALTER DATABASE ... SET)`,
          )
        : ok('idle_in_transaction_session_timeout', idle),
    );
    results.push(
      archive === 'off'
        ? (config.NODE_ENV === 'production' ? fail : warn)(
            'WAL archiving',
            'archive_mode is off: no point-in-time recovery between backups (see the runbook)',
          )
        : ok('WAL archiving', `archive_mode=${archive}`),
    );
    return results;
  } finally {
    await client.end();
  }
}

/** The newest backup under DATA_DIR/backups (as `npm run backup` writes them) and its age. */
async function backups(config: AppConfig): Promise<CheckResult> {
  const dir = join(config.DATA_DIR, 'backups');
  const taken: number[] = [];
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    // Anything else there (a half-written backup, a stray file) is not a backup.
    const manifest = await readManifest(join(dir, name)).catch(() => null);
    if (manifest) taken.push(Date.parse(manifest.createdAt));
  }
  if (!taken.length)
    return (config.NODE_ENV === 'production' ? fail : warn)(
      'backups',
      `none under ${dir}: schedule npm run backup nightly (or point-in-time recovery, see the runbook)`,
    );
  const hours = (Date.now() - Math.max(...taken)) / 3_600_000;
  return hours <= BACKUP_MAX_AGE_HOURS
    ? ok('backups', `the newest is ${hours.toFixed(1)} hours old`)
    : fail('backups', `the newest is ${Math.round(hours)} hours old: the nightly backup has stopped`);
}

/** `npm run doctor`: what a deployment gets wrong, each with what to do about it. */
export async function checkDeployment(config: AppConfig, urls: DatabaseUrls): Promise<CheckResult[]> {
  return [
    ...keys(config),
    ...tls(config, urls),
    await smtp(config),
    ...(await database(config, urls)),
    await backups(config),
  ];
}
