/**
 * The fault test: Postgres is killed (SIGKILL, every process of the cluster) while a webhook delivery
 * waits on a slow endpoint and an e-mail batch is being sent, and comes back some seconds later. The
 * built server, as `npm start` runs it, must survive, resume, and deliver everything: each mail once,
 * each webhook at least once with the same webhook-id.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { bulletinInput } from './helpers/bulletins';
import { LOGIN, PASSWORD } from './helpers/factory';
import { freePort } from './helpers/free-port';
import { SeparateCluster, startSeparateCluster } from './helpers/separate-cluster';
import { gqlAt, messageIdsByRecipient, seedFanOut } from './helpers/fan-out';
import { SmtpSink } from './helpers/smtp-sink';
import { until } from './helpers/wait';
import { ReceivedWebhook, WEBHOOK_TEST_ENV, WebhookReceiver } from './helpers/webhook-receiver';

const SUBSCRIBERS = 20;
const ROOT = join(__dirname, '..');

describe('a database restart under load', () => {
  const smtp = new SmtpSink();
  const receiver = new WebhookReceiver();
  const dir = mkdtempSync(join(tmpdir(), 'hw-restart-'));
  let pgPort: number;
  let pg: SeparateCluster;
  let server: ChildProcess | undefined;
  let port: number;
  let exited: string | null = null;
  let people: { analyst: string; admin: string };

  const startDatabase = () => startSeparateCluster(join(dir, 'pg'), pgPort);
  /** Every process of the cluster at once, as a crash or `kill -9` of the machine's database would. */
  const killDatabase = () => {
    const processes = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' })
      .split('\n')
      .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null);
    const postmaster = processes.find((m) => m[3].includes(join(dir, 'pg')) && /postgres\b.*-D/.test(m[3]));
    if (!postmaster) throw new Error('no postmaster found');
    const pids = [postmaster[1], ...processes.filter((m) => m[2] === postmaster[1]).map((m) => m[1])];
    for (const pid of pids) process.kill(Number(pid), 'SIGKILL');
  };
  const gql = (query: string, variables: object, token?: string) => gqlAt(port)(query, variables, token);
  const ready = () =>
    fetch(`http://127.0.0.1:${port}/health/ready`).then(
      (r) => r.ok,
      () => false,
    );

  beforeAll(async () => {
    chmodSync(dir, 0o755);
    await smtp.start();
    await receiver.start();
    pgPort = await freePort();
    pg = await startDatabase();
    port = await freePort();
    server = spawn(process.execPath, [join(ROOT, 'dist', 'src', 'main.js')], {
      env: {
        ...process.env,
        ...WEBHOOK_TEST_ENV,
        WEBHOOK_RETRY_LIMIT: '20',
        WEBHOOK_TIMEOUT_MS: '4000',
        NODE_ENV: 'test',
        HOST: '127.0.0.1',
        PORT: String(port),
        DATABASE_URL: pg.app,
        DATABASE_OWNER_URL: pg.owner,
        DATA_DIR: join(dir, 'data'),
        SMTP_URL: smtp.url,
        LOG_LEVEL: 'error',
        PUBLIC_URL: 'http://harbourwatch.test',
        OUTBOX_JOB_TIMEOUT_SECONDS: '5',
        OUTBOX_MAINTENANCE_SECONDS: '1',
        EMAIL_RETRY_DELAY_SECONDS: '1',
      },
      stdio: 'ignore',
    });
    server.on('exit', (code, signal) => (exited = `${code ?? signal}`));
    await until(ready, 60_000);

    people = await seedFanOut(pg.owner, 'restart', SUBSCRIBERS);
  }, 180_000);

  afterAll(async () => {
    server?.kill('SIGKILL');
    if (pg?.process.exitCode === null) {
      await pg.stop();
    }
    await receiver.stop();
    await smtp.stop();
  });

  it('survives, resumes and delivers every mail once and every webhook with its id', async () => {
    const token = async (email: string) => (await gql(LOGIN, { email, password: PASSWORD })).data.login.accessToken;
    const admin = await token(people.admin);
    const analyst = await token(people.analyst);
    const hook = await gql(
      `mutation($i: WebhookInput!) { createWebhook(input: $i) { webhook { id } } }`,
      { i: { name: 'Slow SIEM', url: receiver.url('/slow', { delayMs: 2000 }), maxTlp: 'GREEN' } },
      admin,
    );
    expect(hook.errors).toBeUndefined();
    smtp.delayMs = 200; // the e-mail batch is still being sent when the database goes
    const draft = await gql(
      `mutation($i: BulletinInput!) { createBulletin(input: $i) { id } }`,
      { i: bulletinInput({ tlp: 'GREEN' }) },
      analyst,
    );
    const id = draft.data.createBulletin.id as string;
    await gql(`mutation($id: ID!) { publishBulletin(id: $id) { id } }`, { id }, analyst);

    const about = (r: ReceivedWebhook) => (JSON.parse(r.body) as { data: { bulletinId: string } }).data.bulletinId;
    await until(() => receiver.at('/slow').some((r) => about(r) === id) && smtp.mails.length > 0, 60_000);
    killDatabase();
    await new Promise((r) => setTimeout(r, 5000));
    expect(exited).toBeNull();

    smtp.delayMs = 0;
    pg = await startDatabase();
    await until(ready, 60_000);
    // Ready means real time listens again (bulletin events, sharing changes), not only that queries work.
    const listening = new Client({ connectionString: pg.superuser });
    await listening.connect();
    const [{ n }] = (
      await listening.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'harbourwatch-listen'`,
      )
    ).rows;
    await listening.end();
    expect(n).toBe(2);
    const recipients = () => new Set(smtp.mails.flatMap((m) => m.to));
    await until(() => recipients().size >= SUBSCRIBERS, 120_000);
    const sent = async () =>
      (
        await gql(
          `query($id: ID!) { webhookDeliveries(webhookId: $id, status: SENT) { bulletinId } }`,
          { id: hook.data.createWebhook.webhook.id },
          admin,
        )
      ).data?.webhookDeliveries ?? [];
    await until(async () => (await sent()).some((d: { bulletinId: string }) => d.bulletinId === id), 120_000);
    await new Promise((r) => setTimeout(r, 3000)); // anything still in flight shows up now

    expect(exited).toBeNull();
    const perRecipient = messageIdsByRecipient(smtp);
    expect([...perRecipient.values()].filter((ids) => ids.size !== 1)).toEqual([]);
    const attempts = receiver.at('/slow').filter((r) => about(r) === id);
    expect(attempts.length).toBeGreaterThanOrEqual(1);
    expect(new Set(attempts.map((a) => a.headers['webhook-id'])).size).toBe(1);
    process.stdout.write(
      `\n[restart] Postgres killed with a webhook and an e-mail batch in flight: server alive, ${perRecipient.size} recipients each one mail, ${attempts.length} webhook attempt(s) with one webhook-id\n`,
    );
  }, 300_000);
});
