import { GqlResult, startTestApp, TestApp } from './helpers/test-app';
import { until } from './helpers/wait';

describe('health', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('answers 200 with the database up', async () => {
    const res = await fetch(`${t.baseUrl}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', database: 'up' });
    expect((await fetch(`${t.baseUrl}/health/ready`)).status).toBe(200);
  });

  it('answers 503 when the database is unreachable', async () => {
    // Terminate this app's connections and forbid new ones: the database is "down" for this app only.
    const dbName = new URL(t.databaseUrl).pathname.slice(1);
    const { Client } = await import('pg');
    const admin = new Client({ connectionString: process.env.TEST_PG_SUPERUSER_URL });
    await admin.connect();
    await admin.query(`ALTER DATABASE ${dbName} WITH ALLOW_CONNECTIONS false`);
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [dbName]);
    try {
      const res = await fetch(`${t.baseUrl}/health`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ status: 'error', database: 'down' });
      const ready = await fetch(`${t.baseUrl}/health/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({
        status: 'error',
        error: {
          database: { status: 'down' },
          migrations: { status: 'down', message: 'unknown: the database does not answer' },
        },
      });
      expect((await fetch(`${t.baseUrl}/health/live`)).status).toBe(200);
      // Clients are told to retry, not that the server broke: GraphQL and plain HTTP routes alike.
      const graphql = await fetch(`${t.baseUrl}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: `mutation { login(email: "someone@example.eu", password: "a-password-of-length") { accessToken } }`,
        }),
      });
      expect(graphql.status).toBe(503);
      expect(graphql.headers.get('retry-after')).toBe('5');
      expect(((await graphql.json()) as GqlResult).errors![0].extensions!.code).toBe('UNAVAILABLE');
      const feed = await fetch(`${t.baseUrl}/cap/feed.xml`);
      expect(feed.status).toBe(503);
      expect(feed.headers.get('retry-after')).toBe('5');
      expect(await feed.json()).toMatchObject({ code: 'UNAVAILABLE' });
    } finally {
      await admin.query(`ALTER DATABASE ${dbName} WITH ALLOW_CONNECTIONS true`);
      await admin.end();
    }
    // Ready again once the database is back.
    await until(async () => (await fetch(`${t.baseUrl}/health/ready`)).status === 200);
  });
});
