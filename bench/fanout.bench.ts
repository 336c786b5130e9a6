/**
 * npm run bench:fanout: one bulletin published to 10,000 matching subscribers, 1,000 of them also on a
 * live graphql-ws connection, every one with e-mail to an in-process SMTP sink; a first such publish
 * warms up, the second is measured. Prints the time until the publish request answered, until all real-time events arrived and until the sink accepted all
 * mails, with duplicates and misses. Targets (2 cores): publish < 100 ms, real time < 1 s, e-mail
 * < 60 s, no duplicate, none missing.
 */
import 'reflect-metadata';
import { ChildProcess, execFile, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync } from 'node:fs';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'graphql-ws';
import { Client } from 'pg';
import WebSocket from 'ws';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres';
import { migrations } from '../migrations';
import { createDataSource } from '../src/database/data-source';
import { SmtpSink } from '../test/helpers/smtp-sink';
import { bulletinInput } from '../test/helpers/bulletins';
import { accessToken, waitForHttp } from './bench-server';
import { postgresCpuMsSince, postgresTicks, processCpuMs } from './proc-usage';

const SUBSCRIBERS = Number(process.env.FANOUT_SUBSCRIBERS ?? 10_000);
const LIVE = Number(process.env.FANOUT_LIVE ?? 1_000);
const PORT = 3903;
const SECRET = randomBytes(32).toString('hex');

const token = (sub: string, sid: string, org: string) => accessToken(SECRET, { sub, sid, org }, 900);

async function until(check: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 20));
  }
  return true;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'hw-fanout-'));
  chmodSync(dir, 0o755);
  const pg = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), port: 54349, persistent: false });
  const ds = createDataSource(pg.owner, { entities: [], migrations }, 2);
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  await ds.destroy();

  const db = new Client({ connectionString: pg.owner });
  await db.connect();
  console.log(`Seeding ${SUBSCRIBERS.toLocaleString()} subscribers...`);
  const {
    rows: [ids],
  } = await db.query(
    `WITH author AS (INSERT INTO organisations (name, type, sector, ports) VALUES ('Fan-out terminal', 'TERMINAL_OPERATOR', 'PRIVATE', '{NLRTM}') RETURNING id),
          police AS (INSERT INTO organisations (name, type, sector, ports) VALUES ('Fan-out police', 'POLICE', 'PUBLIC', '{NLRTM}') RETURNING id),
          analyst AS (INSERT INTO users (email, display_name, password_hash) VALUES ('fanout.analyst@example.eu', 'Analyst', 'x') RETURNING id),
          m AS (INSERT INTO memberships (organisation_id, user_id, role) SELECT author.id, analyst.id, 'ANALYST' FROM author, analyst)
     SELECT author.id AS author, police.id AS police, analyst.id AS analyst FROM author, police, analyst`,
  );
  await db.query(
    `WITH officers AS (INSERT INTO users (email, display_name, password_hash)
                       SELECT format('officer%s@example.eu', g), format('Officer %s', g), 'x' FROM generate_series(1, $2) g RETURNING id),
          m AS (INSERT INTO memberships (organisation_id, user_id, role) SELECT $1, id, 'MEMBER' FROM officers)
     INSERT INTO alert_subscriptions (organisation_id, user_id, name, channels, mode)
     SELECT $1, id, 'Everything', '{EMAIL,REALTIME}', 'IMMEDIATE' FROM officers`,
    [ids.police, SUBSCRIBERS],
  );
  const { rows: live } = await db.query(
    `INSERT INTO sessions (user_id, organisation_id, expires_at)
     SELECT user_id, $1, now() + interval '1 day' FROM memberships WHERE organisation_id = $1 ORDER BY user_id LIMIT $2
     RETURNING id, user_id`,
    [ids.police, LIVE],
  );
  const {
    rows: [analystSession],
  } = await db.query(
    `INSERT INTO sessions (user_id, organisation_id, expires_at) VALUES ($1, $2, now() + interval '1 day') RETURNING id`,
    [ids.analyst, ids.author],
  );
  // As a live database would have them: statistics of the tables just filled (else the planner guesses).
  await db.query('ANALYZE');
  await db.end();

  const smtp = new SmtpSink();
  await smtp.start();
  const app: ChildProcess = fork(join(__dirname, '..', 'src', 'main.js'), [], {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: pg.app,
      DATABASE_OWNER_URL: pg.owner,
      PORT: String(PORT),
      HOST: '127.0.0.1',
      PUBLIC_URL: `http://127.0.0.1:${PORT}`,
      JWT_SECRET: SECRET,
      ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      VETTING_PSEUDONYM_KEY: randomBytes(32).toString('base64'),
      AUDIT_SIGNING_KEY: randomBytes(32).toString('base64'),
      SMTP_URL: smtp.url,
      LOG_LEVEL: 'warn',
      // The machinery's throughput: the per-organisation sending rate is policy (it would hold the
      // measured alert behind the warm-up's, both of one organisation), measured by bench:isolation.
      EMAIL_RATE_PER_ORGANISATION: process.env.EMAIL_RATE_PER_ORGANISATION ?? '100000',
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  try {
    await waitForHttp(`http://127.0.0.1:${PORT}/health`);

    console.log(`Connecting ${LIVE.toLocaleString()} graphql-ws subscribers...`);
    const events: string[] = [];
    const clients = live.map((s: { id: string; user_id: string }) => {
      const client = createClient({
        url: `ws://127.0.0.1:${PORT}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${token(s.user_id, s.id, ids.police)}` },
        retryAttempts: 0,
      });
      client.subscribe<{ bulletinPublished: { bulletin: { id: string } } }>(
        { query: 'subscription { bulletinPublished { kind bulletin { id title } } }' },
        {
          next: (r) => void events.push(r.data!.bulletinPublished.bulletin.id),
          error: () => undefined,
          complete: () => undefined,
        },
      );
      return client;
    });

    const headers = {
      'content-type': 'application/json',
      authorization: `Bearer ${token(ids.analyst, analystSession.id, ids.author)}`,
    };
    const gql = (query: string, variables: object) =>
      fetch(`http://127.0.0.1:${PORT}/graphql`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ query, variables }),
      }).then((r) => r.json() as Promise<any>);

    /** One bulletin published to everyone: the publisher's time, then until every event and mail arrived. */
    const wave = async (title: string) => {
      const draft = await gql(`mutation($i: BulletinInput!) { createBulletin(input: $i) { id } }`, {
        i: bulletinInput({ title, tlp: 'GREEN', indicators: [] }),
      });
      const id: string = draft.data.createBulletin.id;
      const before = { server: processCpuMs(app.pid!), postgres: postgresTicks(), sink: processCpuMs(process.pid) };
      const started = Date.now();
      // Published from a process of its own: this one is busy with a thousand WebSocket clients, and
      // would add their work to the publisher's time.
      const published = await timedPublish(PORT, headers, id);
      // Both counted incrementally: rescanning everything at each poll would itself load the machine.
      let arrived = 0;
      let scannedEvents = 0;
      const realtimeOk = await until(() => {
        for (; scannedEvents < events.length; scannedEvents++) if (events[scannedEvents] === id) arrived++;
        return arrived >= LIVE;
      }, 120_000);
      const realtime = Date.now() - started;
      const mails = new Map<string, Set<string>>(); // recipient -> Message-IDs
      let scanned = 0;
      const mailOk = await until(() => {
        for (; scanned < smtp.mails.length; scanned++) {
          const m = smtp.mails[scanned];
          if (!m.text.includes(id)) continue;
          for (const to of m.to) mails.set(to, (mails.get(to) ?? new Set()).add(m.messageId));
        }
        return mails.size >= SUBSCRIBERS;
      }, 600_000);
      const mail = Date.now() - started;
      const cpu = {
        server: processCpuMs(app.pid!) - before.server,
        postgres: postgresCpuMsSince(before.postgres),
        sink: processCpuMs(process.pid) - before.sink,
      };
      return { published, realtime, realtimeOk, arrived, mail, mailOk, mails, cpu };
    };

    // The first wave also proves every subscription live (and warms the server up); the second is measured.
    await new Promise((r) => setTimeout(r, 3000));
    await wave('Fan-out warm-up');
    const measured = await wave('Fan-out benchmark');
    await new Promise((r) => setTimeout(r, 2000));
    const { published, realtime, realtimeOk, arrived, mail, mailOk, mails, cpu } = measured;
    const duplicates = [...mails.values()].filter((idsOf) => idsOf.size > 1).length;
    console.log(`\npublisher's own request: ${published} ms (target < 100 ms) ${published < 100 ? 'met' : 'MISSED'}`);
    console.log(
      `real time: ${arrived}/${LIVE} events in ${realtime} ms (target < 1000 ms) ${realtimeOk && realtime < 1000 ? 'met' : 'MISSED'}`,
    );
    console.log(
      `e-mail: ${mails.size}/${SUBSCRIBERS} recipients in ${(mail / 1000).toFixed(1)} s (target < 60 s) ${mailOk && mail < 60_000 ? 'met' : 'MISSED'}`,
    );
    console.log(
      `CPU from publish to the last mail: server ${(cpu.server / 1000).toFixed(1)} s, Postgres ${(cpu.postgres / 1000).toFixed(1)} s, ` +
        `SMTP sink and subscribers (this process) ${(cpu.sink / 1000).toFixed(1)} s`,
    );
    const owner = new Client({ connectionString: pg.owner });
    await owner.connect();
    const {
      rows: [attempts],
    } = await owner.query(
      `SELECT count(*) FILTER (WHERE attempts > 1)::int AS retried, max(attempts)::int AS most FROM notification_deliveries`,
    );
    await owner.end();
    console.log(`deliveries retried: ${attempts.retried} (most attempts: ${attempts.most})`);
    console.log(`duplicates: ${duplicates}, missing: ${SUBSCRIBERS - mails.size}`);
    await Promise.all(clients.map(async (c) => c.dispose()));
  } finally {
    app.kill('SIGTERM');
    await smtp.stop();
    await pg.stop();
  }
}

/** The publish mutation's round trip in milliseconds, timed by a separate Node process. */
async function timedPublish(port: number, headers: Record<string, string>, id: string): Promise<number> {
  // Its first fetch (loading the HTTP client, connecting) is not the server's time: one to /health first.
  const script = `
    fetch('http://127.0.0.1:${port}/health').then((r) => r.text()).then(() => {
    const started = performance.now();
    return fetch('http://127.0.0.1:${port}/graphql', {
      method: 'POST',
      headers: ${JSON.stringify(headers)},
      body: JSON.stringify({ query: 'mutation($id: ID!) { publishBulletin(id: $id) { id } }', variables: { id: '${id}' } }),
    }).then((r) => r.json()).then((r) => {
      if (!r.data) throw new Error(JSON.stringify(r.errors));
      process.stdout.write(String(performance.now() - started));
    });
    });`;
  const { stdout } = await promisify(execFile)(process.execPath, ['-e', script]);
  return Math.round(Number(stdout));
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
