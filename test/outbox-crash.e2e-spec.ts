/**
 * The crash test: a fan-out to 500 subscribers is interrupted by SIGKILL of the server process half
 * way; a new process picks up the jobs. Every subscriber must end up with exactly one mail, counted by
 * Message-ID per recipient in the SMTP sink.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOGIN, PASSWORD } from './helpers/factory';
import { bulletinInput } from './helpers/bulletins';
import { gqlAt, messageIdsByRecipient, seedFanOut } from './helpers/fan-out';
import { SmtpSink } from './helpers/smtp-sink';
import { cloneDatabase } from './helpers/test-app';
import { until } from './helpers/wait';
import { freePort } from './helpers/free-port';

const SUBSCRIBERS = 500;
const ROOT = join(__dirname, '..');

describe('outbox durability', () => {
  const smtp = new SmtpSink();
  let urls: { app: string; owner: string };
  let server: ChildProcess | undefined;
  let port: number;
  let analyst: string;

  const startServer = async (): Promise<ChildProcess> => {
    port = await freePort();
    const child = spawn(process.execPath, [join(ROOT, 'dist', 'src', 'main.js')], {
      env: {
        ...process.env,
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        PORT: String(port),
        DATABASE_URL: urls.app,
        DATABASE_OWNER_URL: urls.owner,
        DATA_DIR: mkdtempSync(join(tmpdir(), 'hw-crash-')),
        SMTP_URL: smtp.url,
        LOG_LEVEL: 'error',
        PUBLIC_URL: 'http://harbourwatch.test',
        OUTBOX_JOB_TIMEOUT_SECONDS: '3',
        OUTBOX_MAINTENANCE_SECONDS: '1',
        EMAIL_RETRY_DELAY_SECONDS: '1',
      },
      stdio: 'ignore',
    });
    await until(
      () =>
        fetch(`http://127.0.0.1:${port}/health`).then(
          (r) => r.ok,
          () => false,
        ),
      60_000,
    );
    return child;
  };

  beforeAll(async () => {
    await smtp.start();
    urls = await cloneDatabase();
    analyst = (await seedFanOut(urls.owner, 'crash', SUBSCRIBERS)).analyst;
  }, 120_000);

  afterAll(async () => {
    server?.kill('SIGKILL');
    await smtp.stop();
  });

  it('delivers exactly one mail per subscriber although the server is killed mid fan-out', async () => {
    smtp.delayMs = 15;
    server = await startServer();
    const gql = (query: string, variables: object, token?: string) => gqlAt(port)(query, variables, token);
    const token = (await gql(LOGIN, { email: analyst, password: PASSWORD })).data.login.accessToken;
    const draft = await gql(
      `mutation($i: BulletinInput!) { createBulletin(input: $i) { id } }`,
      { i: bulletinInput({ tlp: 'GREEN' }) },
      token,
    );
    await gql(`mutation($id: ID!) { publishBulletin(id: $id) { id } }`, { id: draft.data.createBulletin.id }, token);

    await until(() => smtp.mails.length >= 100, 60_000);
    server.kill('SIGKILL');
    const atKill = smtp.mails.length;
    expect(atKill).toBeLessThan(SUBSCRIBERS);

    smtp.delayMs = 0;
    server = await startServer();
    const recipients = () => new Set(smtp.mails.flatMap((m) => m.to));
    await until(() => recipients().size >= SUBSCRIBERS, 90_000);
    await new Promise((r) => setTimeout(r, 2000)); // anything still in flight would show up now

    const perRecipient = messageIdsByRecipient(smtp);
    expect(perRecipient.size).toBe(SUBSCRIBERS);
    const notExactlyOne = [...perRecipient.entries()].filter(([, ids]) => ids.size !== 1);
    expect(notExactlyOne).toEqual([]);
    process.stdout.write(
      `\n[outbox] killed after ${atKill} mails; ${smtp.mails.length} SMTP transactions for ${SUBSCRIBERS} subscribers, each exactly one Message-ID\n`,
    );
  }, 240_000);
});
