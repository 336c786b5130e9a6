/**
 * Machine clients: an organisation admin creates a client with an API key (shown once, kept hashed),
 * the key pulls the STIX and CAP exports as a member of its organisation capped at the client's
 * marking, and stops at once when rotated, revoked, expired or its organisation suspended.
 */
import { MemberRole, OrganisationType } from '../src/common/organisation-type';
import { publishBulletin } from './helpers/bulletins';
import { makeOrganisation, member, TestUser } from './helpers/factory';
import { platformAdmin } from './helpers/platform-admin';
import { codeOf, startTestApp, TestApp } from './helpers/test-app';
import { windowWithRoom } from './helpers/wait';

const CREATE = `mutation($i: MachineClientInput!) { createMachineClient(input: $i) {
  key client { id name maxTlp keyHint expiresAt revokedAt lastUsedAt } } }`;
const ROTATE = `mutation($id: ID!) { rotateMachineClientKey(id: $id) { key client { id rotatedAt } } }`;
const REVOKE = `mutation($id: ID!) { revokeMachineClient(id: $id) { id revokedAt } }`;

describe('machine clients (API keys)', () => {
  let t: TestApp;
  let policeAdmin: TestUser;
  let policeAnalyst: TestUser;
  let otherAdmin: TestUser;
  let author: TestUser;
  let police: string;
  const bulletins: Record<string, string> = {};

  const pull = (key: string, path = '/stix/bulletins') =>
    fetch(`${t.baseUrl}${path}`, { headers: { authorization: `Bearer ${key}` } });
  /** The bulletins a STIX pull returns (their latest reports). */
  const pulled = async (key: string): Promise<string[]> => {
    const res = await pull(key);
    expect(res.status).toBe(200);
    const bundle = (await res.json()) as { objects: { type: string; x_harbourwatch_bulletin_id?: string }[] };
    return [...new Set(bundle.objects.filter((o) => o.type === 'report').map((o) => o.x_harbourwatch_bulletin_id!))];
  };
  const create = async (maxTlp: string, token = policeAdmin.token) => {
    const r = await t.gql(CREATE, { i: { name: `MISP ${maxTlp}`, maxTlp } }, token);
    if (!r.data) throw new Error(JSON.stringify(r.errors));
    return r.data.createMachineClient as { key: string; client: { id: string; keyHint: string } };
  };

  beforeAll(async () => {
    // A small pool, so that one client holding more than its one connection per request would stall everyone.
    t = await startTestApp({ MACHINE_CLIENT_REQUESTS_PER_MINUTE: '40', DATABASE_POOL_SIZE: '4' });
    const terminal = await makeOrganisation(t, OrganisationType.TERMINAL_OPERATOR, ['NLRTM']);
    police = await makeOrganisation(t, OrganisationType.POLICE, ['NLRTM']);
    const other = await makeOrganisation(t, OrganisationType.CUSTOMS, ['NLRTM']);
    author = await member(t, terminal, MemberRole.ANALYST);
    policeAdmin = await member(t, police, MemberRole.ORG_ADMIN);
    policeAnalyst = await member(t, police, MemberRole.ANALYST);
    otherAdmin = await member(t, other, MemberRole.ORG_ADMIN);
    bulletins.CLEAR = await publishBulletin(t, author.token, { tlp: 'CLEAR' });
    bulletins.GREEN = await publishBulletin(t, author.token, { tlp: 'GREEN' });
    bulletins.AMBER = await publishBulletin(t, author.token, { tlp: 'AMBER', recipientOrganisationIds: [police] });
    bulletins.AMBER_STRICT = await publishBulletin(t, author.token, {
      tlp: 'AMBER_STRICT',
      recipientOrganisationIds: [police],
    });
    bulletins.RED = await publishBulletin(t, author.token, { tlp: 'RED', recipientUserIds: [policeAnalyst.id] });
    bulletins.NOT_OURS = await publishBulletin(t, author.token, { tlp: 'AMBER', recipientOrganisationIds: [other] });
  });
  afterAll(() => t.close());

  it('shows the key once and keeps only its hash', async () => {
    const { key, client } = await create('AMBER');
    expect(key).toMatch(/^hwk_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/);
    expect(key.endsWith(client.keyHint)).toBe(true);
    const listed = await t.gql(`{ machineClients { id name maxTlp keyHint } }`, {}, policeAdmin.token);
    expect(listed.data.machineClients).toContainEqual({
      id: client.id,
      name: 'MISP AMBER',
      maxTlp: 'AMBER',
      keyHint: client.keyHint,
    });
    expect(JSON.stringify(listed)).not.toContain(key.slice(-43));
    const rows = await t.dataSource.query(`SELECT * FROM machine_clients WHERE id = $1`, [client.id]);
    expect(JSON.stringify(rows)).not.toContain(key.slice(-43));
    // Only organisation admins, and only their own organisation's clients.
    expect(codeOf(await t.gql(CREATE, { i: { name: 'x', maxTlp: 'GREEN' } }, policeAnalyst.token))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(CREATE, { i: { name: 'x', maxTlp: 'RED' } }, policeAdmin.token))).toBe('BAD_USER_INPUT');
    expect(codeOf(await t.gql(REVOKE, { id: client.id }, otherAdmin.token))).toBe('NOT_FOUND');
    expect(codeOf(await t.gql(ROTATE, { id: client.id }, otherAdmin.token))).toBe('NOT_FOUND');
    expect((await t.gql(`{ machineClients { id } }`, {}, otherAdmin.token)).data.machineClients).toEqual([]);
  });

  it.each([
    ['CLEAR', ['CLEAR']],
    ['GREEN', ['CLEAR', 'GREEN']],
    ['AMBER', ['CLEAR', 'GREEN', 'AMBER']],
    ['AMBER_STRICT', ['CLEAR', 'GREEN', 'AMBER', 'AMBER_STRICT']],
  ])('reads, capped at %s, what its organisation may read, never RED', async (maxTlp, expected) => {
    const { key } = await create(maxTlp);
    expect((await pulled(key)).sort()).toEqual(expected.map((tlp) => bulletins[tlp]).sort());
    for (const tlp of ['RED', 'NOT_OURS', ...Object.keys(bulletins).filter((k) => !expected.includes(k))]) {
      expect((await pull(key, `/stix/bulletins/${bulletins[tlp]}`)).status).toBe(404);
    }
    // The CAP feed for members: CLEAR and GREEN, as far as the cap allows.
    const feed = await (await pull(key, '/cap/feed.xml')).text();
    expect(feed.includes(bulletins.GREEN)).toBe(expected.includes('GREEN'));
  });

  it('is refused everywhere but the exports', async () => {
    const { key } = await create('GREEN');
    const res = await fetch(`${t.baseUrl}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ bulletins(first: 5) { edges { node { id } } } }' }),
    });
    expect(((await res.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe(
      'UNAUTHENTICATED',
    );
    const wrong = key.slice(0, -4) + (key.endsWith('AAAA') ? 'BBBB' : 'AAAA');
    expect((await pull(wrong)).status).toBe(401);
    expect((await pull('hwk_not-a-key')).status).toBe(401);
  });

  it('stops the old key at once when rotated, and the key at once when revoked', async () => {
    const { key, client } = await create('GREEN');
    expect((await pull(key)).status).toBe(200);
    const rotated = (await t.gql(ROTATE, { id: client.id }, policeAdmin.token)).data.rotateMachineClientKey;
    expect((await pull(key)).status).toBe(401);
    expect((await pull(rotated.key)).status).toBe(200);
    const revoked = await t.gql(REVOKE, { id: client.id }, policeAdmin.token);
    expect(revoked.data.revokeMachineClient.revokedAt).not.toBeNull();
    expect((await pull(rotated.key)).status).toBe(401);
    expect(codeOf(await t.gql(ROTATE, { id: client.id }, policeAdmin.token))).toBe('NOT_FOUND');
  });

  it('refuses an expired key and the key of a suspended organisation', async () => {
    const expiring = await create('GREEN');
    await t.dataSource.query(`UPDATE machine_clients SET expires_at = now() - interval '1 second' WHERE id = $1`, [
      expiring.client.id,
    ]);
    expect((await pull(expiring.key)).status).toBe(401);

    const other = await makeOrganisation(t, OrganisationType.CUSTOMS, ['DEHAM']);
    const admin = await member(t, other, MemberRole.ORG_ADMIN);
    const { key } = await create('GREEN', admin.token);
    expect((await pull(key)).status).toBe(200);
    await t.gql(
      `mutation($id: ID!) { suspendOrganisation(id: $id, reason: "audit") { id } }`,
      { id: other },
      await platformAdmin(t),
    );
    expect((await pull(key)).status).toBe(401);
  });

  it("audits every use and keeps the last one; the export counts in the author organisation's view", async () => {
    const { key, client } = await create('AMBER');
    await pulled(key);
    const [row] = await t.dataSource.query(`SELECT last_used_at FROM machine_clients WHERE id = $1`, [client.id]);
    expect(row.last_used_at).not.toBeNull();
    const trail = await t.gql(
      `{ auditEvents(first: 100) { edges { node { action objectId actorUserId } } } }`,
      {},
      policeAdmin.token,
    );
    if (!trail.data) throw new Error(JSON.stringify(trail.errors));
    const events = trail.data.auditEvents.edges.map((e: { node: { action: string; actorUserId: string } }) => e.node);
    expect(events).toContainEqual(expect.objectContaining({ action: 'useMachineClient', objectId: client.id }));
    expect(events).toContainEqual(expect.objectContaining({ action: 'exportStix', actorUserId: client.id }));
    const reach = await t.gql(
      `query($id: ID!) { bulletin(id: $id) { reach { organisation { id } exportFormats } } }`,
      { id: bulletins.AMBER },
      author.token,
    );
    expect(reach.data.bulletin.reach).toContainEqual({ organisation: { id: police }, exportFormats: ['STIX'] });
  });

  it("answers a burst of one client's concurrent pulls, or tells it to come back, while another organisation goes on working", async () => {
    const { key } = await create('GREEN');
    const burst = Promise.all(Array.from({ length: 24 }, () => pull(key).then((r) => r.status)));
    const other = await t.gql(`{ me { user { id } } }`, {}, otherAdmin.token);
    expect(other.errors).toBeUndefined();
    // Exports take turns per organisation (HEAVY_OPERATIONS_PER_ORGANISATION): beyond its share a pull
    // is told to come back in a second, never failed.
    const statuses = await burst;
    expect(statuses.filter((s) => s !== 200 && s !== 429)).toEqual([]);
    expect(statuses).toContain(200);
  });

  it('throttles each client across every instance, telling it when to come back', async () => {
    const { key } = await create('CLEAR');
    const second = await startTestApp({ MACHINE_CLIENT_REQUESTS_PER_MINUTE: '40' }, t);
    const codes: number[] = [];
    let retryAfter: string | null = null;
    try {
      // The allowance is per minute: all 45 requests within one, however slow the machine.
      await windowWithRoom(60_000, 30_000);
      for (let i = 0; i < 45; i++) {
        // Every other request to the second instance: one allowance for both.
        const res = await fetch(`${(i % 2 ? second : t).baseUrl}/cap/feed.xml`, {
          headers: { authorization: `Bearer ${key}` },
        });
        codes.push(res.status);
        if (res.status === 429) retryAfter = res.headers.get('retry-after');
      }
    } finally {
      await second.close();
    }
    expect(codes.filter((c) => c === 200)).toHaveLength(40);
    expect(codes.slice(40)).toEqual([429, 429, 429, 429, 429]);
    // When the key's allowance is back: the start of the next minute.
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(retryAfter)).toBeLessThanOrEqual(60);
  });
});

describe('machine clients per organisation', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ MACHINE_CLIENTS_PER_ORGANISATION: '2' });
  });
  afterAll(() => t.close());

  it('keeps each organisation to its share of live clients: a revoked one makes room, others are not held back', async () => {
    const [admin, other] = await Promise.all(
      [OrganisationType.POLICE, OrganisationType.CUSTOMS].map(async (type) =>
        member(t, await makeOrganisation(t, type, ['NLRTM']), MemberRole.ORG_ADMIN),
      ),
    );
    const create = (token: string) => t.gql(CREATE, { i: { name: 'MISP', maxTlp: 'GREEN' } }, token);
    const first = await create(admin.token);
    expect(codeOf(await create(admin.token))).toBe('OK');
    const third = await create(admin.token);
    expect(codeOf(third)).toBe('CONFLICT');
    expect(third.errors![0].message).toBe(
      'Your organisation has 2 live machine clients, the most it may keep: remove one first',
    );
    expect(codeOf(await create(other.token))).toBe('OK');
    await t.gql(REVOKE, { id: first.data.createMachineClient.client.id }, admin.token);
    expect(codeOf(await create(admin.token))).toBe('OK');
  });
});
