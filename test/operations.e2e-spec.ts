import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { ShutdownService } from '../src/operations/shutdown.service';
import { MemberRole, OrganisationType } from '../src/common/organisation-type';
import { captureOutput } from './helpers/captured-output';
import { makeOrganisation, member, TestUser } from './helpers/factory';
import { startTestApp, TestApp } from './helpers/test-app';
import { until } from './helpers/wait';

const METRICS_TOKEN = 'metrics-token-for-the-tests';

const printed = captureOutput();
const jsonLines = () =>
  printed
    .join('')
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l));

describe('operations: health, metrics, logs, shutdown', () => {
  let t: TestApp;
  let user: TestUser;

  beforeAll(async () => {
    t = await startTestApp({ METRICS_TOKEN, LOG_LEVEL: 'log' });
    user = await member(t, await makeOrganisation(t, OrganisationType.POLICE), MemberRole.ANALYST);
  });
  afterAll(() => t.close());

  it('answers liveness, and readiness with the database, migrations and real time listening', async () => {
    const live = await fetch(`${t.baseUrl}/health/live`);
    expect(live.status).toBe(200);
    const ready = await fetch(`${t.baseUrl}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ok',
      details: {
        database: { status: 'up' },
        migrations: { status: 'up' },
        listen: { status: 'up' },
        lifecycle: { status: 'up' },
      },
    });
  });

  it('serves Prometheus metrics to the holder of METRICS_TOKEN only', async () => {
    await t.gql(`query WhoAmI { me { role } }`, {}, user.token);
    expect((await fetch(`${t.baseUrl}/metrics`)).status).toBe(404);
    expect(
      (await fetch(`${t.baseUrl}/metrics`, { headers: { authorization: 'Bearer wrong-token-of-the-same-len' } }))
        .status,
    ).toBe(404);
    const res = await fetch(`${t.baseUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toMatch(/harbourwatch_graphql_operations_total\{operation="me",type="query",outcome="ok"\} 1/);
    expect(text).toMatch(/harbourwatch_graphql_operation_seconds_count\{operation="me",type="query"\} 1/);
    expect(text).toMatch(/harbourwatch_outbox_queue_depth\{queue="email"\} \d+/);
    expect(text).toMatch(/harbourwatch_notification_failures \d+/);
    expect(text).toMatch(/harbourwatch_db_pool_total \d+/);
    expect(text).toMatch(/harbourwatch_process_cpu_seconds_total/);
  });

  it('labels metrics from the schema only: 1,000 invented operation names add no series', async () => {
    const metrics = async () =>
      (await fetch(`${t.baseUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    await t.gql(`query Warmup { me { role } }`, {}, user.token);
    await t.gql(`query Nope { notAField }`);
    await t.gql(`query Typename { __typename }`);
    const before = await metrics();
    for (let i = 0; i < 1000; i += 100) {
      await Promise.all(Array.from({ length: 100 }, (_, j) => t.gql(`query Op${i + j}x { __typename }`)));
    }
    await Promise.all(Array.from({ length: 50 }, (_, j) => t.gql(`query Bad${j} { unknown${j} }`)));
    const after = await metrics();
    const series = (text: string) =>
      text
        .split('\n')
        .filter((l) => l.startsWith('harbourwatch_graphql_operations_total{'))
        .map((l) => l.replace(/\} .*/, '}'))
        .sort();
    expect(series(after)).toEqual(series(before));
    expect(after).not.toMatch(/Op\d+x|Bad\d+|unknown\d+/);
  });

  it('writes one JSON line per request with its id, never tokens, addresses or agents, and nothing for reporters', async () => {
    const res = await fetch(`${t.baseUrl}/graphql`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${user.token}`,
        'user-agent': 'LoggedAgent/9',
      },
      body: JSON.stringify({ query: `query Named { me { role } }`, operationName: 'Named' }),
    });
    const id = res.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    await until(() => jsonLines().some((l) => l.req?.id === id));
    const line = jsonLines().find((l) => l.req?.id === id);
    expect(line).toMatchObject({
      level: 30,
      req: { method: 'POST', path: '/graphql', operation: 'Named' },
      res: { status: 200 },
    });
    const reporter = await fetch(`${t.baseUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ reportChallenge { difficulty } }' }),
    });
    expect(reporter.headers.get('x-request-id')).toBeNull();
    await fetch(`${t.baseUrl}/report`);
    // A member's request cannot hide by looking like a reporter's: the parsed operation decides.
    for (const query of [
      'query Hidden { me { role } } # submitReport',
      '{ me { role } reportChallenge { difficulty } }',
      '{ me { role } r: reportChallenge { difficulty } }',
    ]) {
      const logged = await fetch(`${t.baseUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}` },
        body: JSON.stringify({ query }),
      });
      const loggedId = logged.headers.get('x-request-id');
      expect(loggedId).toMatch(/^[0-9a-f-]{36}$/);
      await until(() => jsonLines().some((l) => l.req?.id === loggedId));
    }
    const all = printed.join('');
    for (const needle of [user.token, 'LoggedAgent', '127.0.0.1', '"/report"'])
      expect([needle, all.includes(needle)]).toEqual([needle, false]);
  });

  it('closes real-time connections with 1001 and turns not ready when shutting down', async () => {
    const second = await startTestApp({}, t);
    let closeCode = 0;
    let connected = false;
    const client = createClient({
      url: second.baseUrl.replace('http', 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${user.token}` },
      retryAttempts: 0,
      on: {
        connected: () => {
          connected = true;
        },
        closed: (event) => {
          closeCode = (event as { code: number }).code;
        },
      },
    });
    client.subscribe(
      { query: 'subscription { bulletinPublished { kind } }' },
      { next: () => undefined, error: () => undefined, complete: () => undefined },
    );
    await until(() => connected);
    // What SIGTERM starts: the connections go away with 1001, and load balancers see "not ready".
    second.app.get(ShutdownService).beforeApplicationShutdown('SIGTERM');
    await until(() => closeCode !== 0);
    expect(closeCode).toBe(1001);
    const ready = await fetch(`${second.baseUrl}/health/ready`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'error', error: { lifecycle: { status: 'down' } } });
    await second.close();
    await client.dispose();
  });
});
