/**
 * Issue 11, items 4 and 5: the WebSocket carries subscriptions only, from authenticated connections,
 * under HTTP's limits and error codes; one member's subscriptions are capped and duplicates do not
 * multiply the work of a publish.
 */
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { BulletinQueriesService } from '../../src/bulletins/bulletin-queries.service';
import { ERROR_CODES } from '../../src/common/errors';
import { MemberRole, OrganisationType } from '../../src/common/organisation-type';
import { login, makeOrganisation, member, TestUser } from '../helpers/factory';
import { publishBulletin } from '../helpers/bulletins';
import { startTestApp, TestApp } from '../helpers/test-app';
import { until } from '../helpers/wait';
import { printSummary } from './summary';

const EVENTS = `subscription { bulletinPublished { kind bulletin { id } } }`;

interface Outcome {
  data: unknown[];
  errors: { message: string; extensions?: { code?: string } }[];
  closed?: number;
}

describe('the WebSocket gate', () => {
  let t: TestApp;
  let analyst: TestUser;
  let police: TestUser;
  const clients: { dispose(): void }[] = [];

  beforeAll(async () => {
    t = await startTestApp({
      GRAPHQL_INTROSPECTION: 'false',
      GRAPHQL_MAX_DEPTH: '3',
      GRAPHQL_MAX_COST: '20',
      REALTIME_MAX_SUBSCRIPTIONS_PER_CONNECTION: '3',
      REALTIME_MAX_SUBSCRIPTIONS_PER_USER: '4',
    });
    analyst = await member(t, await makeOrganisation(t, OrganisationType.TERMINAL_OPERATOR), MemberRole.ANALYST);
    police = await member(t, await makeOrganisation(t, OrganisationType.POLICE), MemberRole.MEMBER);
  });
  afterAll(async () => {
    clients.forEach((c) => c.dispose());
    await t.close();
  });

  function connect(token: string | null) {
    const closed: number[] = [];
    const client = createClient({
      url: t.baseUrl.replace('http', 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      connectionParams: token ? { authorization: `Bearer ${token}` } : {},
      retryAttempts: 0,
      lazy: false,
      onNonLazyError: () => undefined,
      on: { closed: (e) => closed.push((e as { code: number }).code) },
    });
    clients.push(client);
    const run = (query: string): Outcome => {
      const outcome: Outcome = { data: [], errors: [] };
      client.subscribe(
        { query },
        {
          next: (r) => (r.errors ? outcome.errors.push(...(r.errors as Outcome['errors'])) : outcome.data.push(r.data)),
          error: (e) =>
            Array.isArray(e)
              ? outcome.errors.push(...e)
              : outcome.errors.push({ message: String((e as { code?: number }).code ?? e) }),
          complete: () => undefined,
        },
      );
      return outcome;
    };
    return { client, closed, run };
  }

  const settle = () => new Promise((r) => setTimeout(r, 400));

  it('refuses a connection without a valid access token', async () => {
    for (const token of [null, 'not-a-token', `${police.token}x`]) {
      const c = connect(token);
      await until(() => c.closed.length > 0, 5000);
      expect(c.closed[0]).toBe(4403);
    }
  });

  it('runs no query or mutation, and no introspection, over the WebSocket', async () => {
    const c = connect(police.token);
    // One at a time: the caps are counted first, and four at once on this connection would exceed its three.
    for (const query of [
      `query { me { user { id } } }`,
      `mutation { logoutEverywhere }`,
      `query { __schema { types { name } } }`,
      `subscription { bulletinPublished { kind } } query Q { me { id } }`,
    ]) {
      const r = c.run(query);
      await settle();
      expect(r.data).toEqual([]);
      expect(r.errors[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
    // The mutation did not run: the session still works over HTTP.
    expect((await t.gql(`{ me { user { id } } }`, {}, police.token)).data?.me.user.id).toBe(police.id);
  });

  it('applies the depth and cost limits of HTTP to subscriptions', async () => {
    const c = connect(police.token);
    const deep = c.run(`subscription { bulletinPublished { bulletin { versions { indicators { type } } } } }`);
    const costly =
      c.run(`subscription { bulletinPublished { bulletin { id title summary body tlp category severity urgency certainty ports
      validUntil publishedAt status version recipientOrganisationIds recipientUserIds indicators { type value } authorOrganisation { id name }
      acknowledgements { note acknowledgedAt } } } }`);
    await settle();
    expect(deep.errors[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(deep.errors[0]?.message).toMatch(/depth/);
    expect(costly.errors[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(costly.errors[0]?.message).toMatch(/too expensive/);
  });

  it('caps subscriptions per connection and per user with a clear error, and answers only codes of the closed set', async () => {
    const user = await member(t, police.organisationId!, MemberRole.MEMBER);
    const first = connect(user.token);
    const held = [first.run(EVENTS), first.run(EVENTS), first.run(EVENTS)];
    const fourth = first.run(EVENTS);
    await settle();
    expect(held.every((o) => o.errors.length === 0)).toBe(true);
    expect(fourth.errors[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(fourth.errors[0]?.message).toBe('At most 3 subscriptions per connection');

    const second = connect((await login(t, user.email)).token);
    const fourthOfUser = second.run(EVENTS);
    const fifthOfUser = second.run(EVENTS);
    await settle();
    expect(fourthOfUser.errors).toEqual([]);
    expect(fifthOfUser.errors[0]?.message).toBe('At most 4 subscriptions per user');
    // Refused before it is read: over the cap, not even a document that does not parse costs a parse.
    const unread = second.run('subscription {');
    await settle();
    expect(unread.errors[0]?.message).toBe('At most 4 subscriptions per user');
    for (const o of [fourth, fifthOfUser, unread])
      for (const e of o.errors) expect(ERROR_CODES.has(e.extensions?.code ?? '')).toBe(true);
  });

  it('reads an event once per organisation and role, however many sessions and subscriptions it has', async () => {
    const colleague = await member(t, police.organisationId!, MemberRole.MEMBER);
    const c = connect(police.token);
    const other = connect(colleague.token);
    const subs = [c.run(EVENTS), c.run(EVENTS), c.run(EVENTS), other.run(EVENTS)];
    await settle();
    const queries = t.app.get(BulletinQueriesService);
    const get = jest.spyOn(queries, 'get');
    try {
      const id = await publishBulletin(t, analyst.token, { tlp: 'GREEN' });
      await until(() => subs.every((s) => s.data.length === 1), 5000).catch(() => {
        throw new Error(JSON.stringify(subs));
      });
      const reads = get.mock.calls.filter(
        ([actor, bulletinId]) => bulletinId === id && actor.organisationId === police.organisationId,
      );
      expect(reads).toHaveLength(1);
    } finally {
      get.mockRestore();
    }
    printSummary('websocket: 4 refused connections, 4 non-subscription operations, 2 limits, 2 caps; 0 accepted');
  });
});
