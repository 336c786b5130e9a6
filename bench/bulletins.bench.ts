/**
 * npm run bench: the first page (50) of `bulletins` for a police analyst over HTTP GraphQL, against a
 * raw-SQL baseline returning the same visible set, on 1,000,000 bulletins. Prints throughput, p50/p99
 * and the ratio; then times crossMatchSubjects (1,000 subjects against 200,000 vetting records).
 * BENCH_SECONDS (default 30) and BENCH_CONNECTIONS (default 50) tune the load run; BENCH_PROFILE=dir
 * writes the server's CPU profile there.
 */
import 'reflect-metadata';
import { ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { residentMb } from './proc-usage';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import { subjectPseudonym } from '../src/vetting/subject-pseudonym';
import { createDataSource } from '../src/database/data-source';
import { benchDatabaseUrls } from './bench-database';
import { load, report } from './load';
import { BENCH, policeAnalyst, seedBulletins } from './seed-bulletins';
import { benchSubject, seedVetting, VETTING_BENCH } from './seed-vetting';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const APP_PORT = 3901;
const BASELINE_PORT = 3902;

const PAGE_QUERY = `query FirstPage { bulletins(first: 50) {
  edges { node { id title severity tlp category publishedAt authorOrganisation { name } } cursor }
  pageInfo { hasNextPage endCursor } } }`;

function start(
  script: string,
  env: Record<string, string>,
  ready: (child: ChildProcess) => Promise<void>,
  execArgv: string[] = [],
): Promise<ChildProcess> {
  const child = fork(script, [], {
    env: { ...process.env, ...env },
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return ready(child).then(() => child);
}

async function waitForHttp(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (
      await fetch(url).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not come up`);
}

async function main(): Promise<void> {
  const urls = await benchDatabaseUrls();
  const ds = createDataSource(urls.owner, 2);
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  await ds.destroy();
  await seedBulletins(urls.owner);
  await seedVetting(urls.owner);
  const viewer = await policeAnalyst(urls.owner);

  const app = await start(
    join(__dirname, '..', 'src', 'main.js'),
    {
      NODE_ENV: 'production',
      DATABASE_URL: urls.app,
      DATABASE_OWNER_URL: urls.owner,
      PORT: String(APP_PORT),
      HOST: '127.0.0.1',
      PUBLIC_URL: `http://127.0.0.1:${APP_PORT}`,
      JWT_SECRET: randomBytes(32).toString('hex'),
      ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      LOG_LEVEL: 'warn',
      VETTING_PSEUDONYM_KEY: VETTING_BENCH.pseudonymKey.toString('base64'),
      LOGIN_RATE_LIMIT: '100000',
      SMTP_URL: 'smtp://127.0.0.1:9',
      GRAPHQL_MAX_COST: '100000',
    },
    () => waitForHttp(`http://127.0.0.1:${APP_PORT}/health`),
    // BENCH_PROFILE=dir: the server writes a V8 CPU profile there when it stops.
    process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [],
  );
  const baseline = await start(
    join(__dirname, 'baseline-server.js'),
    {
      DATABASE_URL: urls.owner,
      PORT: String(BASELINE_PORT),
      VIEWER_ORG: viewer.organisationId,
      VIEWER_USER: viewer.userId,
    },
    (child) => new Promise((resolve) => child.once('message', () => resolve())),
  );

  try {
    const login = await fetch(`http://127.0.0.1:${APP_PORT}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: `mutation { login(email: "${viewer.email}", password: "${BENCH.password}") { accessToken } }`,
      }),
    }).then((r) => r.json() as Promise<any>);
    const token = login.data.login.accessToken;
    const graphql = {
      method: 'POST' as const,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: PAGE_QUERY }),
    };

    // Same page from both paths, checked before measuring.
    const gqlPage: any = await fetch(`http://127.0.0.1:${APP_PORT}/graphql`, graphql).then((r) => r.json());
    const rawPage: any = await fetch(`http://127.0.0.1:${BASELINE_PORT}/`).then((r) => r.json());
    const gqlIds = gqlPage.data.bulletins.edges.map((e: { node: { id: string } }) => e.node.id);
    const rawIds = rawPage.edges.map((e: { node: { id: string } }) => e.node.id);
    if (JSON.stringify(gqlIds) !== JSON.stringify(rawIds))
      throw new Error('GraphQL and baseline disagree on the first page');
    console.log(
      `\nViewer: ${viewer.email} (police, NLRTM); first page identical on both paths (${gqlIds.length} bulletins).`,
    );

    const idleMb = residentMb(app.pid!);
    console.log(`Warming up, then ${SECONDS} s at ${CONNECTIONS} connections each...`);
    await load('warm-up', `http://127.0.0.1:${APP_PORT}/graphql`, 3, CONNECTIONS, graphql);
    await load('warm-up', `http://127.0.0.1:${BASELINE_PORT}/`, 3, CONNECTIONS);
    const gql = await load(
      'GraphQL bulletins(first: 50)',
      `http://127.0.0.1:${APP_PORT}/graphql`,
      SECONDS,
      CONNECTIONS,
      graphql,
      { pid: app.pid!, statements: urls.statements },
    );
    const raw = await load(
      'raw SQL baseline (pg + http)',
      `http://127.0.0.1:${BASELINE_PORT}/`,
      SECONDS,
      CONNECTIONS,
      {},
      { pid: baseline.pid!, statements: urls.statements },
    );
    report([gql, raw]);
    console.log(
      `\nserver resident memory: ${idleMb.toFixed(0)} MB idle, ${residentMb(app.pid!).toFixed(0)} MB after the feed load (target < 300 MB)`,
    );
    const ratio = gql.throughput / raw.throughput;
    console.log(
      `\nthroughput ratio GraphQL/baseline: ${ratio.toFixed(2)}x (target >= 0.66x) ${ratio >= 0.66 ? 'met' : 'MISSED'}`,
    );
    const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
    console.log(
      `GraphQL p99: ${gql.p99} ms (target <= 2x the baseline's ${raw.p99} ms) ${verdict(gql.p99 <= 2 * raw.p99)}`,
    );
    console.log(
      `GraphQL CPU per request: server ${gql.serverCpuMs!.toFixed(2)} ms (target <= 3) ${verdict(gql.serverCpuMs! <= 3)}, ` +
        `Postgres ${gql.postgresCpuMs!.toFixed(2)} ms (target <= 2.5) ${verdict(gql.postgresCpuMs! <= 2.5)}`,
    );
    await crossMatch(token, viewer.organisationId, urls.owner);
  } finally {
    app.kill('SIGTERM');
    baseline.kill('SIGTERM');
    const exited = (child: ChildProcess) =>
      child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : once(child, 'exit');
    await Promise.all([exited(app), exited(baseline)]);
    await urls.stop?.();
  }
}

const CROSS_MATCH = `query($subjects: [VettingSubjectKeyInput!]!) { crossMatchSubjects(subjects: $subjects) { index status } }`;

/** crossMatchSubjects with 1,000 subjects against 200,000 records, one call at a time, end to end over HTTP. */
async function crossMatch(token: string, organisationId: string, ownerUrl: string): Promise<void> {
  const RUNS = 30;
  const subjects = Array.from({ length: 1000 }, (_, i) => benchSubject(i * 97));
  const db = new Client({ connectionString: ownerUrl });
  await db.connect();
  const pseudonyms = subjects.map((s) => subjectPseudonym(VETTING_BENCH.pseudonymKey, s));
  const { rows } = await db.query(
    `SELECT count(DISTINCT (p.i, v.organisation_id))::int AS n FROM unnest($1::bytea[]) WITH ORDINALITY AS p(pseudonym, i)
       JOIN vetting_records v ON v.subject_pseudonym = p.pseudonym
      WHERE v.status IN ('REFUSED', 'REVOKED', 'SUSPENDED') AND v.organisation_id <> $2`,
    [pseudonyms, organisationId],
  );
  await db.end();
  const request = {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: CROSS_MATCH, variables: { subjects } }),
  };
  const times: number[] = [];
  let hits = 0;
  for (let run = 0; run < RUNS + 3; run++) {
    const started = performance.now();
    const r: any = await fetch(`http://127.0.0.1:${APP_PORT}/graphql`, request).then((res) => res.json());
    if (run >= 3) times.push(performance.now() - started);
    if (!r.data) throw new Error(JSON.stringify(r.errors));
    hits = r.data.crossMatchSubjects.length;
  }
  if (hits !== rows[0].n) throw new Error(`cross-match found ${hits} hits, the database holds ${rows[0].n}`);
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(1);
  console.log(
    `\ncrossMatchSubjects, 1,000 subjects vs ${VETTING_BENCH.records.toLocaleString()} records (${hits} hits, checked), ${RUNS} calls:`,
  );
  console.log(
    `  p50 ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${at(1)} ms (target < 200 ms) ${Number(at(0.95)) < 200 ? 'met' : 'MISSED'}`,
  );
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
