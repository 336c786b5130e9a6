/**
 * TAXII 2.1, write side: a machine client allowed to write posts an envelope to the drafts collection;
 * it becomes draft bulletins of its organisation (never shared before an analyst publishes them), the
 * answer is a status resource (checked against a schema written from TAXII 2.1 §4.3.1) kept for the
 * poster alone, and every refusal (scope, collection, media type, malformed objects, RED) creates nothing.
 */
import Ajv from 'ajv';
import { randomUUID } from 'node:crypto';
import { MemberRole, OrganisationType } from '../src/common/organisation-type';
import { tlpMarking } from '../src/interop/tlp-markings';
import { TaxiiStatusRetentionService } from '../src/interop/taxii-status-retention.service';
import { Tlp } from '../src/common/tlp';
import { uniqueContainerNumber } from './helpers/bulletins';
import { makeOrganisation, member, TestUser } from './helpers/factory';
import { codeOf, startTestApp, TestApp } from './helpers/test-app';

const TAXII = 'application/taxii+json;version=2.1';
const detail = {
  type: 'object',
  required: ['id', 'version'],
  properties: { id: { type: 'string' }, version: { type: 'string' }, message: { type: 'string' } },
};
const validStatus = new Ajv({ strict: false }).compile({
  type: 'object',
  required: ['id', 'status', 'total_count', 'success_count', 'failure_count', 'pending_count'],
  properties: {
    id: { type: 'string' },
    status: { enum: ['complete', 'pending'] },
    request_timestamp: { type: 'string', pattern: '^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z$' },
    total_count: { type: 'integer' },
    success_count: { type: 'integer' },
    successes: { type: 'array', items: detail },
    failure_count: { type: 'integer' },
    failures: { type: 'array', items: detail },
    pending_count: { type: 'integer' },
    pendings: { type: 'array', items: detail },
  },
});

const CREATE = `mutation($i: MachineClientInput!) { createMachineClient(input: $i) { key client { id canWrite } } }`;
const ROOT = '/taxii2/api/';
const stamp = '2026-11-26T10:00:00.000Z';
const stixId = (type: string) => `${type}--${randomUUID()}`;
const indicator = (pattern: string, tlp?: Tlp) => ({
  type: 'indicator',
  spec_version: '2.1',
  id: stixId('indicator'),
  created: stamp,
  modified: stamp,
  name: 'Seen at the gate',
  pattern,
  pattern_type: 'stix',
  valid_from: stamp,
  ...(tlp ? { object_marking_refs: [tlpMarking(tlp).id] } : {}),
});

describe('TAXII 2.1 writes (drafts from machine clients)', () => {
  let t: TestApp;
  let police: string;
  let policeAdmin: TestUser;
  let policeAnalyst: TestUser;
  let customsAnalyst: TestUser;
  let writer: { key: string; id: string };
  let reader: { key: string; id: string };
  let inbox: string;
  let visible: string;

  const client = async (canWrite: boolean) => {
    const r = await t.gql(CREATE, { i: { name: `OpenCTI ${canWrite}`, maxTlp: 'AMBER', canWrite } }, policeAdmin.token);
    if (!r.data) throw new Error(JSON.stringify(r.errors));
    expect(r.data.createMachineClient.client.canWrite).toBe(canWrite);
    return { key: r.data.createMachineClient.key as string, id: r.data.createMachineClient.client.id as string };
  };
  const request = (key: string, path: string, init: { method?: string; body?: unknown; type?: string } = {}) =>
    fetch(`${t.baseUrl}${path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${key}`, accept: TAXII, 'content-type': init.type ?? TAXII },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
  const post = (key: string, collection: string, objects: unknown[], type?: string) =>
    request(key, `${ROOT}collections/${collection}/objects/`, { method: 'POST', body: { objects }, type });
  const draftsOfPolice = async (): Promise<number> =>
    Number((await t.dataSource.query(`SELECT count(*) FROM bulletins WHERE organisation_id = $1`, [police]))[0].count);

  beforeAll(async () => {
    t = await startTestApp();
    police = await makeOrganisation(t, OrganisationType.POLICE, ['NLRTM']);
    policeAdmin = await member(t, police, MemberRole.ORG_ADMIN);
    policeAnalyst = await member(t, police, MemberRole.ANALYST);
    customsAnalyst = await member(
      t,
      await makeOrganisation(t, OrganisationType.CUSTOMS, ['NLRTM']),
      MemberRole.ANALYST,
    );
    writer = await client(true);
    reader = await client(false);
    const collections = async (key: string) =>
      ((await (await request(key, `${ROOT}collections/`)).json()) as { collections: Record<string, unknown>[] })
        .collections;
    const offered = await collections(writer.key);
    const drafts = offered.find((c) => c.title === 'Drafts for your analysts')!;
    expect(drafts).toMatchObject({ can_read: false, can_write: true });
    inbox = String(drafts.id);
    visible = String(offered.find((c) => c.title === 'Bulletins visible to you')!.id);
    expect((await collections(reader.key)).map((c) => c.title)).not.toContain('Drafts for your analysts');
  });

  afterAll(() => t.close());

  it('turns a feed into a draft for the analysts, answers a status kept for the poster alone', async () => {
    const container = uniqueContainerNumber();
    const port = indicator(`[x-acme-box:id = '${container}']`, Tlp.GREEN);
    const unknown = indicator(`[file:name = 'invoice.pdf.exe']`);
    const objects = [tlpMarking(Tlp.GREEN), port, unknown];
    const res = await post(writer.key, inbox, objects);
    expect(res.status).toBe(202);
    expect(res.headers.get('content-type')).toBe(TAXII);
    const status = (await res.json()) as Record<string, any>;
    if (!validStatus({ ...status })) throw new Error(JSON.stringify(validStatus.errors));
    expect(status).toMatchObject({ status: 'complete', total_count: 3, success_count: 2, failure_count: 1 });
    expect(status.failures).toEqual([
      { id: unknown.id, version: stamp, message: 'indicator pattern names nothing Harbourwatch records' },
    ]);
    expect(status.successes.map((s: { id: string }) => s.id).sort()).toEqual(
      [port.id, tlpMarking(Tlp.GREEN).id].sort(),
    );
    const [draftId] = status.x_harbourwatch_draft_ids as string[];

    // The organisation's analysts review it; nobody else sees it, and it is in no feed.
    const draft = await t.gql(
      `query($id: ID!) { bulletin(id: $id) { status tlp title indicators { value } } }`,
      { id: draftId },
      policeAnalyst.token,
    );
    expect(draft.data.bulletin).toMatchObject({ status: 'DRAFT', tlp: 'GREEN', indicators: [{ value: container }] });
    expect(
      codeOf(await t.gql(`query($id: ID!) { bulletin(id: $id) { id } }`, { id: draftId }, customsAnalyst.token)),
    ).toBe('NOT_FOUND');
    const feed = (await (await request(writer.key, `${ROOT}collections/${visible}/objects/`)).json()) as {
      objects?: { x_harbourwatch_bulletin_id?: string }[];
    };
    expect((feed.objects ?? []).map((o) => o.x_harbourwatch_bulletin_id)).not.toContain(draftId);

    // The status: for the client that posted; another client and a person of the organisation get "not found".
    const again = await request(writer.key, `${ROOT}status/${status.id}/`);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(status);
    expect((await request(reader.key, `${ROOT}status/${status.id}/`)).status).toBe(404);
    expect((await request(policeAnalyst.token, `${ROOT}status/${status.id}/`)).status).toBe(404);
    expect((await request(customsAnalyst.token, `${ROOT}status/${status.id}/`)).status).toBe(404);
    expect((await request(writer.key, `${ROOT}status/${randomUUID()}/`)).status).toBe(404);
    expect((await request(writer.key, `${ROOT}status/not-a-status/`)).status).toBe(404);

    // The analyst who publishes it answers for it from then on.
    const published = await t.gql(
      `mutation($id: ID!) { publishBulletin(id: $id) { status } }`,
      { id: draftId },
      policeAnalyst.token,
    );
    expect(published.data.publishBulletin.status).toBe('PUBLISHED');
    const [row] = await t.dataSource.query(
      `SELECT author_user_id, author_machine_client_id FROM bulletins WHERE id = $1`,
      [draftId],
    );
    expect(row).toEqual({ author_user_id: policeAnalyst.id, author_machine_client_id: writer.id });

    const trail = await t.gql(
      `{ auditEvents(first: 100) { edges { node { action objectId actorUserId } } } }`,
      {},
      policeAdmin.token,
    );
    if (!trail.data) throw new Error(JSON.stringify(trail.errors));
    expect(trail.data.auditEvents.edges.map((e: { node: unknown }) => e.node)).toContainEqual({
      action: 'addTaxiiObjects',
      objectId: status.id,
      actorUserId: writer.id,
    });
  });

  it('refuses, creating nothing: no write scope, a read collection, reading the inbox, wrong media type, malformed objects', async () => {
    const before = await draftsOfPolice();
    const objects = [indicator(`[x-acme-box:id = '${uniqueContainerNumber()}']`)];
    expect((await post(reader.key, inbox, objects)).status).toBe(403);
    expect((await post(writer.key, visible, objects)).status).toBe(403);
    expect((await post(writer.key, randomUUID(), objects)).status).toBe(404);
    expect((await request(writer.key, `${ROOT}collections/${inbox}/objects/`)).status).toBe(403);
    expect((await post(writer.key, inbox, objects, 'application/json')).status).toBe(415);
    expect((await post(writer.key, inbox, [{ type: 'indicator', id: 'indicator--1' }])).status).toBe(422);
    expect((await post(writer.key, inbox, [])).status).toBe(400);
    const error = (await (await post(writer.key, inbox, objects, 'text/plain')).json()) as Record<string, unknown>;
    expect(error).toMatchObject({ http_status: '415' });
    expect(await draftsOfPolice()).toBe(before);
  });

  it('fails an object with a NUL or a lone surrogate in its text, as GraphQL refuses them, and imports the others', async () => {
    const good = indicator(`[x-acme-box:id = '${uniqueContainerNumber()}']`, Tlp.GREEN);
    const nul = {
      ...indicator(`[x-acme-box:id = '${uniqueContainerNumber()}']`, Tlp.GREEN),
      name: 'crane\u0000driver',
    };
    const surrogate = { ...indicator(`[x-acme-box:id = '${uniqueContainerNumber()}']`, Tlp.GREEN), name: '\ud800' };
    const res = await post(writer.key, inbox, [tlpMarking(Tlp.GREEN), good, nul, surrogate]);
    expect(res.status).toBe(202);
    const status = (await res.json()) as Record<string, any>;
    expect(status).toMatchObject({ total_count: 4, success_count: 2, failure_count: 2 });
    expect(status.failures).toEqual(
      [nul, surrogate].map((o) => ({
        id: o.id,
        version: '',
        message: 'Text must be valid Unicode without NUL characters',
      })),
    );
  });

  it('never takes TLP:RED from a machine: RED names people', async () => {
    const before = await draftsOfPolice();
    const report = {
      type: 'report',
      spec_version: '2.1',
      id: stixId('report'),
      created: stamp,
      modified: stamp,
      name: 'Extraction team at the reefer stack',
      published: stamp,
      object_refs: [],
      object_marking_refs: [tlpMarking(Tlp.RED).id],
    };
    const res = await post(writer.key, inbox, [report]);
    expect(res.status).toBe(202);
    const status = (await res.json()) as Record<string, any>;
    expect(status).toMatchObject({ success_count: 0, failure_count: 1, x_harbourwatch_draft_ids: [] });
    expect(status.failures[0].message).toMatch(/TLP:RED/);
    expect(await draftsOfPolice()).toBe(before);
  });

  it('keeps a status TAXII_STATUS_RETENTION_DAYS (7), then deletes it and tells the organisation how many went', async () => {
    const posted = async () =>
      (
        (await (
          await post(writer.key, inbox, [indicator(`[x-acme-box:id = '${uniqueContainerNumber()}']`)])
        ).json()) as {
          id: string;
        }
      ).id;
    const [old, fresh] = [await posted(), await posted()];
    await t.dataSource.query(
      `UPDATE taxii_statuses SET request_timestamp = now() - interval '7 days 1 minute' WHERE id = $1`,
      [old],
    );
    await t.dataSource.query(
      `UPDATE taxii_statuses SET request_timestamp = now() - interval '6 days 23 hours' WHERE id = $1`,
      [fresh],
    );

    const purged = await t.app.get(TaxiiStatusRetentionService).purge();
    expect(purged).toContainEqual({ organisation_id: police, statuses: 1 });
    expect((await request(writer.key, `${ROOT}status/${old}/`)).status).toBe(404);
    expect((await request(writer.key, `${ROOT}status/${fresh}/`)).status).toBe(200);
    const [audit] = await t.dataSource.query(
      `SELECT details FROM audit_events WHERE action = 'purgeTaxiiStatuses' AND subject_organisation_id = $1`,
      [police],
    );
    expect(audit.details).toEqual({ statuses: 1 });
  });
});
