/**
 * npm run bench: for a police analyst over HTTP GraphQL, on 1,000,000 bulletins (BENCH_BULLETINS,
 * BENCH_ORGANISATIONS and BENCH_RULES change the scale, each scale its own database), the first page (50) of
 * `bulletins`, one `bulletin(id)` and `searchIndicators` for a container number typed with spaces and
 * dashes, each against a raw-SQL baseline giving the same answer; then the feed again with two workers.
 * Prints throughput, p50/p99, CPU per request and the ratios; then times crossMatchSubjects (1,000
 * subjects against 200,000 vetting records); then TAXII for a machine client (first page, a poll).
 * Then correlation: an analyst publishes bulletins sharing values with 50 and 20,000 others (the request, the
 * job after it, and "Related" as read).
 * BENCH_PATHS=1,3 measures only those paths (1 feed, 2 bulletin, 3 search, 4 TAXII, 5 correlation); BENCH_STATEMENTS=1 prints where Postgres spent each GraphQL path's time.
 * BENCH_SECONDS (default 30) and BENCH_CONNECTIONS (default 50) tune the load run; BENCH_PROFILE=dir
 * writes the server's CPU profile there.
 */
import 'reflect-metadata';
import { ChildProcess, fork } from 'node:child_process';
import { once } from 'node:events';
import { residentMb } from './proc-usage';
import { waitForHttp } from './bench-server';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import { subjectPseudonym } from '../src/vetting/subject-pseudonym';
import { migrations } from '../migrations';
import { createDataSource } from '../src/database/data-source';
import { benchDatabaseUrls } from './bench-database';
import { load, LoadResult, report } from './load';
import { BENCH, policeAnalyst, seedBulletins } from './seed-bulletins';
import { benchSubject, seedVetting, VETTING_BENCH } from './seed-vetting';
import { seedVersions, taxiiPaths } from './taxii';
import { correlationPaths, seedHotAddress } from './correlation';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 30);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
/** A few national systems polling at once, not a crowd of people. */
const TAXII_CONNECTIONS = 5;
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

/** A container number flagged in bulletins of many organisations, and as an analyst would type it. */
const FLAGGED = 'CSQU3054383';
const TYPED = 'csqu 305438-3';

/** Fifty bulletins spread over the data set mention FLAGGED (once, kept between runs). */
async function flagContainer(ownerUrl: string): Promise<void> {
  const db = new Client({ connectionString: ownerUrl });
  await db.connect();
  await db.query(
    `INSERT INTO bulletin_indicators (bulletin_id, organisation_id, type, value, search_key)
     SELECT b.id, b.organisation_id, 'CONTAINER_NUMBER', $1, $1 FROM bulletins b
      WHERE b.title IN (SELECT format('Bench alert %s', g) FROM generate_series($2::int, $3::int, $2::int) g)
        AND NOT EXISTS (SELECT 1 FROM bulletin_indicators i WHERE i.bulletin_id = b.id AND i.search_key = $1)`,
    [FLAGGED, BENCH.bulletins / 50, BENCH.bulletins],
  );
  await db.end();
}

interface BenchPath {
  name: string;
  query: string;
  variables: Record<string, unknown>;
  baseline: string;
  /** The bulletin ids of an answer, to check both paths agree before measuring. */
  ids: (data: any) => string[];
  baselineIds: (body: any) => string[];
}

const ONE_QUERY = `query One($id: ID!) { bulletin(id: $id) { id title summary body severity tlp category status publishedAt
  authorOrganisation { name } indicators { type value } } }`;
const SEARCH_QUERY = `query Search($value: String!) { searchIndicators(value: $value) { bulletin { id title tlp } indicator { type value } } }`;

const METRICS_TOKEN = randomBytes(16).toString('hex');
const QUIET_SECONDS = 30;

/** The server's resident memory (from /proc) and what its own metrics say of V8's heap and of memory outside it. */
async function memoryOf(pid: number): Promise<{ residentMb: number; text: string }> {
  const metrics = await fetch(`http://127.0.0.1:${APP_PORT}/metrics`, {
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  }).then((r) => r.text());
  const mb = (name: string) => Number(new RegExp(`^harbourwatch_${name} (\\S+)$`, 'm').exec(metrics)?.[1]) / 2 ** 20;
  const resident = residentMb(pid);
  return {
    residentMb: resident,
    text:
      `resident ${resident.toFixed(0)} MB (V8 heap ${mb('nodejs_heap_size_used_bytes').toFixed(0)} MB used of ` +
      `${mb('nodejs_heap_size_total_bytes').toFixed(0)} MB, external ${mb('nodejs_external_memory_bytes').toFixed(0)} MB)`,
  };
}

async function main(): Promise<void> {
  const urls = await benchDatabaseUrls();
  const ds = createDataSource(urls.owner, { entities: [], migrations }, 2);
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  await ds.destroy();
  await seedBulletins(urls.owner);
  await flagContainer(urls.owner);
  await seedHotAddress(urls.owner, BENCH.bulletins);
  await seedVetting(urls.owner);
  await seedVersions(urls.owner);
  const viewer = await policeAnalyst(urls.owner);
  console.log(
    `Data set: ${BENCH.bulletins.toLocaleString()} bulletins, ${BENCH.organisations.toLocaleString()} organisations, ` +
      `${BENCH.rules.toLocaleString()} sharing rules`,
  );

  const env = {
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
    AUDIT_SIGNING_KEY: randomBytes(32).toString('base64'),
    LOGIN_RATE_LIMIT: '100000',
    SMTP_URL: 'smtp://127.0.0.1:9',
    GRAPHQL_MAX_COST: '100000',
    MACHINE_CLIENT_REQUESTS_PER_MINUTE: '1000000',
    EXPORT_OBJECTS_PER_MINUTE: '1000000000',
    METRICS_TOKEN,
  };
  const startApp = (workers: number) =>
    start(
      join(__dirname, '..', 'src', 'main.js'),
      { ...env, WEB_CONCURRENCY: String(workers) },
      () => waitForHttp(`http://127.0.0.1:${APP_PORT}/health`),
      // BENCH_PROFILE=dir: the server writes a V8 CPU profile there when it stops.
      process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [],
    );
  let app = await startApp(1);
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
    const post = (query: string, variables: Record<string, unknown>) => ({
      method: 'POST' as const,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
    });
    const gql = (query: string, variables: Record<string, unknown>): Promise<any> =>
      fetch(`http://127.0.0.1:${APP_PORT}/graphql`, post(query, variables)).then((r) => r.json());

    const firstPage = await gql(PAGE_QUERY, {});
    const open = firstPage.data.bulletins.edges
      .map((e: { node: { id: string; tlp: string } }) => e.node)
      .find((b: { tlp: string }) => b.tlp === 'GREEN').id;
    const paths: BenchPath[] = [
      {
        name: 'bulletins(first: 50)',
        query: PAGE_QUERY,
        variables: {},
        baseline: '/',
        ids: (d) => d.bulletins.edges.map((e: { node: { id: string } }) => e.node.id),
        baselineIds: (b) => b.edges.map((e: { node: { id: string } }) => e.node.id),
      },
      {
        name: 'bulletin(id) (GREEN)',
        query: ONE_QUERY,
        variables: { id: open },
        baseline: `/bulletin?id=${open}`,
        ids: (d) => [d.bulletin.id],
        baselineIds: (b) => [b.id],
      },
      {
        name: `searchIndicators("${TYPED}")`,
        query: SEARCH_QUERY,
        variables: { value: TYPED },
        baseline: `/search?key=${FLAGGED}`,
        ids: (d) => d.searchIndicators.map((h: { bulletin: { id: string } }) => h.bulletin.id),
        baselineIds: (b) => b.map((h: { id: string }) => h.id),
      },
    ];
    // Same answers from both paths, checked before measuring.
    for (const path of paths) {
      const answer = await gql(path.query, path.variables);
      const raw: any = await fetch(`http://127.0.0.1:${BASELINE_PORT}${path.baseline}`).then((r) => r.json());
      if (!answer.data) throw new Error(`${path.name}: ${JSON.stringify(answer.errors)}`);
      if (JSON.stringify(path.ids(answer.data)) !== JSON.stringify(path.baselineIds(raw)))
        throw new Error(`GraphQL and baseline disagree on ${path.name}`);
      console.log(`${path.name}: same ${path.ids(answer.data).length} bulletin(s) on both paths`);
    }
    console.log(`Viewer: ${viewer.email} (police, NLRTM).`);

    const idle = await memoryOf(app.pid!);
    console.log(`Warming up, then ${SECONDS} s at ${CONNECTIONS} connections for each path...`);
    const results: LoadResult[] = [];
    const only = process.env.BENCH_PATHS?.split(',');
    for (const path of only ? paths.filter((_, i) => only.includes(String(i + 1))) : paths) {
      const request = post(path.query, path.variables);
      await load('warm-up', `http://127.0.0.1:${APP_PORT}/graphql`, 3, CONNECTIONS, request);
      await load('warm-up', `http://127.0.0.1:${BASELINE_PORT}${path.baseline}`, 3, CONNECTIONS);
      const measured = { statements: urls.statements };
      await urls.topStatements(0);
      const graphqlResult = await load(
        `GraphQL ${path.name}`,
        `http://127.0.0.1:${APP_PORT}/graphql`,
        SECONDS,
        CONNECTIONS,
        request,
        { ...measured, pid: app.pid! },
      );
      if (process.env.BENCH_STATEMENTS) {
        console.log(`\nWhere Postgres spent the time of GraphQL ${path.name} (ms per request):`);
        for (const t of await urls.topStatements(8))
          console.log(
            `  ${(t.ms / graphqlResult.requests).toFixed(3)}  x${(t.calls / graphqlResult.requests).toFixed(2)}  ${t.query}`,
          );
      }
      results.push(
        graphqlResult,
        await load(
          `raw SQL ${path.name}`,
          `http://127.0.0.1:${BASELINE_PORT}${path.baseline}`,
          SECONDS,
          CONNECTIONS,
          {},
          { ...measured, pid: baseline.pid! },
        ),
      );
    }
    // 4: TAXII, as a national system's machine client polls it (no baseline: it has no GraphQL twin).
    const taxii =
      !only || only.includes('4')
        ? await taxiiPaths(`http://127.0.0.1:${APP_PORT}`, urls.owner, viewer, SECONDS, TAXII_CONNECTIONS, {
            statements: urls.statements,
            pid: app.pid!,
          })
        : [];
    // 5: correlation when an analyst publishes (the viewer is one), and "Related" as the viewer reads it.
    if (!only || only.includes('5')) await correlationPaths(gql, urls.owner, FLAGGED);
    const after = await memoryOf(app.pid!);
    // What of it is garbage V8 has not given back yet rather than data kept: the same after a quiet while.
    await new Promise((r) => setTimeout(r, QUIET_SECONDS * 1000));
    const quiet = await memoryOf(app.pid!);

    // The feed again with two workers (WEB_CONCURRENCY=2): CPU counted over the primary and its workers.
    const withFeed = !only || only.includes('1');
    const twoWorkers: LoadResult[] = [];
    if (withFeed) {
      app.kill('SIGTERM');
      await exited(app);
      app = await startApp(2);
      const feed = post(PAGE_QUERY, {});
      await load('warm-up', `http://127.0.0.1:${APP_PORT}/graphql`, 3, CONNECTIONS, feed);
      twoWorkers.push(
        await load(
          'GraphQL bulletins(first: 50), 2 workers',
          `http://127.0.0.1:${APP_PORT}/graphql`,
          SECONDS,
          CONNECTIONS,
          feed,
          { pid: app.pid!, statements: urls.statements, withChildren: true },
        ),
      );
    }
    report([...results, ...twoWorkers, ...taxii]);
    console.log(
      `\nserver memory (1 worker), idle: ${idle.text}\n  after the load: ${after.text} (target: resident < 300 MB) ${after.residentMb < 300 ? 'met' : 'MISSED'}` +
        `\n  ${QUIET_SECONDS} s later: ${quiet.text}`,
    );
    const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');
    for (let i = 0; i < results.length; i += 2) {
      const [g, raw] = [results[i], results[i + 1]];
      const ratio = g.throughput / raw.throughput;
      console.log(
        `\n${g.name}: throughput ${ratio.toFixed(2)}x the baseline's (target >= 0.66x) ${verdict(ratio >= 0.66)}; ` +
          `p99 ${g.p99} ms vs 2x ${raw.p99} ms ${verdict(g.p99 <= 2 * raw.p99)}; ` +
          `CPU per request: server ${g.serverCpuMs!.toFixed(2)} ms (target <= 3) ${verdict(g.serverCpuMs! <= 3)}, ` +
          `Postgres ${g.postgresCpuMs!.toFixed(2)} ms (target <= 2.5) ${verdict(g.postgresCpuMs! <= 2.5)}`,
      );
    }
    for (const two of twoWorkers) {
      console.log(
        `\nfeed with 2 workers: ${(two.throughput / results[0].throughput).toFixed(2)}x the throughput of 1 worker, ` +
          `${(two.throughput / results[1].throughput).toFixed(2)}x the baseline's`,
      );
    }
    await crossMatch(token, viewer.organisationId, urls.owner);
  } finally {
    app.kill('SIGTERM');
    baseline.kill('SIGTERM');
    await Promise.all([exited(app), exited(baseline)]);
    await urls.stop?.();
  }
}

function exited(child: ChildProcess): Promise<unknown> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : once(child, 'exit');
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
