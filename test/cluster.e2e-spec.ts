/**
 * WEB_CONCURRENCY=2: the built server as `npm start` runs it, two workers on one port. Connections are
 * dealt round-robin, so a user's requests land on both: a case handler's keys, unlocked at login on one
 * worker, must open the case on the other too, and on a worker started after the login (a replacement);
 * a bulletin published through one worker reaches a subscriber connected to the other; SIGTERM stops
 * every worker.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { MemberRole, OrganisationType } from '../src/common/organisation-type';
import { bulletinInput } from './helpers/bulletins';
import { login, makeOrganisation, makeUser } from './helpers/factory';
import { GqlResult, startTestApp, TestApp } from './helpers/test-app';
import { until } from './helpers/wait';
import { freePort } from './helpers/free-port';
import { childrenOf } from '../bench/proc-usage';
import { CASE, CASES, OPT_IN, submitReport } from './helpers/whistleblowing';

const ROOT = join(__dirname, '..');

/** GraphQL over a new TCP connection each time (no keep-alive): round-robin sends it to the next worker. */
function freshGql(port: number, query: string, variables: Record<string, unknown> = {}, token?: string) {
  const body = JSON.stringify({ query, variables });
  return new Promise<GqlResult>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/graphql',
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString()) as GqlResult));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('several workers on one port (WEB_CONCURRENCY)', () => {
  let t: TestApp;
  let server: ChildProcess;
  let port: number;
  let police: string;
  let terminal: string;
  /** The cluster as the test helpers see a server: every call on a fresh connection. */
  let cluster: TestApp;
  /** Pids of the workers the primary reported listening, in order. */
  const listening: number[] = [];
  /** The case handler of the first test, logged in before a worker is replaced. */
  let handler: { token: string; caseId: string };

  beforeAll(async () => {
    t = await startTestApp();
    police = await makeOrganisation(t, OrganisationType.POLICE, ['NLRTM']);
    terminal = await makeOrganisation(t, OrganisationType.TERMINAL_OPERATOR, ['NLRTM']);
    port = await freePort();
    server = spawn(process.execPath, [join(ROOT, 'dist', 'src', 'main.js')], {
      env: {
        ...process.env,
        NODE_ENV: 'test',
        WEB_CONCURRENCY: '2',
        HOST: '127.0.0.1',
        PORT: String(port),
        DATABASE_URL: t.urls.app,
        DATABASE_OWNER_URL: t.urls.owner,
        DATA_DIR: mkdtempSync(join(tmpdir(), 'hw-cluster-')),
        LOG_LEVEL: 'log',
        PUBLIC_URL: 'http://harbourwatch.test',
        TRUST_PROXY: 'true',
        REPORT_POW_BITS: '4',
      },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    server.stdout!.setEncoding('utf8');
    server.stdout!.on('data', (text: string) => {
      for (const [, pid] of text.matchAll(/Worker (\d+) listening/g)) listening.push(Number(pid));
    });
    cluster = {
      ...t,
      baseUrl: `http://127.0.0.1:${port}`,
      gql: (query, variables, token) => freshGql(port, query, variables, token),
    };
    // Both workers, not the first one only: requests are dealt to both from then on.
    await until(() => listening.length === 2, 60_000);
  }, 90_000);

  afterAll(async () => {
    if (server.exitCode === null) server.kill('SIGKILL');
    await t.close();
  });

  it('runs two workers under one primary', () => {
    expect(childrenOf(server.pid!)).toHaveLength(2);
  });

  it("opens a handler's cases on every worker with the keys unlocked at login on one of them", async () => {
    const admin = await makeUser(t, police, MemberRole.ORG_ADMIN);
    const { token } = await login(cluster, admin.email, police);
    const opted = await cluster.gql(OPT_IN, { accept: true }, token);
    expect(opted.data?.acceptWhistleblowerReports.accepting).toBe(true);
    await submitReport(cluster, { recipientOrganisationId: police, text: 'Crane 7 driver paid for PINs' });
    const cases = await cluster.gql(CASES, {}, token);
    expect(cases.errors).toBeUndefined();
    const [caseId] = cases.data.whistleblowerCases.edges.map((e: { node: { id: string } }) => e.node.id);
    for (let i = 0; i < 6; i++) {
      const r = await cluster.gql(CASE, { id: caseId }, token);
      expect([i, r.errors, r.data?.whistleblowerCase?.text]).toEqual([i, undefined, 'Crane 7 driver paid for PINs']);
    }
    handler = { token, caseId };
  });

  it('opens them on a worker that replaced one after the login', async () => {
    const { token, caseId } = handler;
    const [killed] = childrenOf(server.pid!);
    process.kill(killed, 'SIGKILL');
    await until(() => listening.length === 3, 30_000);
    // Round-robin deals three of the six to the replacement, which never saw this login.
    for (let i = 0; i < 6; i++) {
      const r = await cluster.gql(CASE, { id: caseId }, token);
      expect([i, r.errors, r.data?.whistleblowerCase?.text]).toEqual([i, undefined, 'Crane 7 driver paid for PINs']);
    }
  }, 60_000);

  it('delivers a bulletin published through one worker to subscribers connected to either', async () => {
    const officers = await Promise.all([0, 1].map(() => makeUser(t, police, MemberRole.MEMBER)));
    const tokens = await Promise.all(officers.map(async (o) => (await login(cluster, o.email, police)).token));
    const received: string[][] = tokens.map(() => []);
    const clients = tokens.map((token, i) => {
      const client = createClient({
        url: `ws://127.0.0.1:${port}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${token}` },
        retryAttempts: 0,
      });
      client.subscribe<{ bulletinPublished: { bulletin: { id: string } } }>(
        { query: 'subscription { bulletinPublished { bulletin { id } } }' },
        { next: (r) => received[i].push(r.data!.bulletinPublished.bulletin.id), error: () => {}, complete: () => {} },
      );
      return client;
    });
    await new Promise((r) => setTimeout(r, 1000));
    const analyst = await makeUser(t, terminal, MemberRole.ANALYST);
    const { token } = await login(cluster, analyst.email, terminal);
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const draft = await cluster.gql(
        `mutation($i: BulletinInput!) { createBulletin(input: $i) { id } }`,
        { i: bulletinInput({ tlp: 'GREEN' }) },
        token,
      );
      ids.push(draft.data.createBulletin.id);
      await cluster.gql(`mutation($id: ID!) { publishBulletin(id: $id) { id } }`, { id: ids[i] }, token);
    }
    await until(() => received.every((r) => ids.every((id) => r.includes(id))), 10_000);
    await Promise.all(clients.map(async (c) => c.dispose()));
  });

  it('stops every worker on SIGTERM', async () => {
    const workers = childrenOf(server.pid!);
    server.kill('SIGTERM');
    await once(server, 'exit');
    expect(workers.filter((pid) => readdirSync('/proc').includes(String(pid)))).toEqual([]);
  }, 30_000);
});
