/**
 * TAXII 2.1, read side, driven by a client written from the specification's examples: discovery, the
 * API root, collections, then objects paged by `next` and polled with `added_after`. Each answer's
 * shape is checked against JSON schemas written from the specification's resource definitions; what a
 * client pulls is compared with what its organisation may read (each version by its own marking,
 * capped at the client's marking, never RED).
 */
import Ajv from 'ajv';
import { MemberRole, OrganisationType } from '../src/common/organisation-type';
import { bulletinInput, publishBulletin, uniqueContainerNumber } from './helpers/bulletins';
import { makeOrganisation, member, TestUser } from './helpers/factory';
import { startTestApp, TestApp } from './helpers/test-app';

const TAXII = 'application/taxii+json;version=2.1';
const timestamp = { type: 'string', pattern: '^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z$' };
/** TAXII 2.1 §4.1.1, §4.2.1, §5.2.1, §3.7 (envelope), §5.3.1 (manifest), §5.7.1 (versions). */
const SCHEMAS = {
  discovery: {
    type: 'object',
    required: ['title'],
    properties: {
      title: { type: 'string' },
      default: { type: 'string' },
      api_roots: { type: 'array', items: { type: 'string' } },
    },
  },
  apiRoot: {
    type: 'object',
    required: ['title', 'versions', 'max_content_length'],
    properties: { versions: { type: 'array', contains: { const: TAXII } }, max_content_length: { type: 'integer' } },
  },
  collections: {
    type: 'object',
    properties: {
      collections: {
        type: 'array',
        items: {
          type: 'object',
          required: ['id', 'title', 'can_read', 'can_write'],
          properties: { can_read: { type: 'boolean' }, can_write: { type: 'boolean' }, media_types: { type: 'array' } },
        },
      },
    },
  },
  envelope: {
    type: 'object',
    additionalProperties: false,
    properties: {
      more: { type: 'boolean' },
      next: { type: 'string' },
      objects: { type: 'array', items: { type: 'object', required: ['type', 'id', 'spec_version'] } },
    },
  },
  manifest: {
    type: 'object',
    additionalProperties: false,
    properties: {
      more: { type: 'boolean' },
      next: { type: 'string' },
      objects: {
        type: 'array',
        items: {
          type: 'object',
          required: ['id', 'date_added', 'version'],
          properties: { date_added: timestamp, version: timestamp },
        },
      },
    },
  },
  versions: {
    type: 'object',
    required: ['versions'],
    properties: { more: { type: 'boolean' }, versions: { type: 'array', items: timestamp } },
  },
  error: {
    type: 'object',
    required: ['title'],
    properties: { title: { type: 'string' }, http_status: { type: 'string' } },
  },
};
const ajv = new Ajv({ allErrors: true, strict: false });
const validators = Object.fromEntries(Object.entries(SCHEMAS).map(([k, v]) => [k, ajv.compile(v)])) as Record<
  keyof typeof SCHEMAS,
  ReturnType<typeof ajv.compile>
>;

type StixObject = {
  type: string;
  id: string;
  modified: string;
  x_harbourwatch_bulletin_id?: string;
  x_harbourwatch_version?: number;
  revoked?: boolean;
};

describe('TAXII 2.1', () => {
  let t: TestApp;
  let author: TestUser;
  let policeAnalyst: TestUser;
  let policeAdmin: TestUser;
  let police: string;
  let customs: string;
  let strictKey: string;
  let greenKey: string;
  /** What a member of the police may read: `bulletin/vN` with each version's marking. */
  const versions: { key: string; tlp: string }[] = [];

  /** A TAXII request as a client makes it (TAXII 2.1 §1.6.8: Accept names the TAXII media type). */
  async function taxii(key: string, path: string, schema: keyof typeof SCHEMAS, accept = TAXII) {
    const res = await fetch(`${t.baseUrl}${path}`, { headers: { authorization: `Bearer ${key}`, accept } });
    const body = (await res.json()) as Record<string, unknown>;
    expect(res.headers.get('content-type')).toBe(TAXII);
    const validate = res.status === 200 ? validators[schema] : validators.error;
    if (!validate(body)) throw new Error(`${path}: ${JSON.stringify(validate.errors)} in ${JSON.stringify(body)}`);
    return { status: res.status, body, headers: res.headers };
  }

  /** Discovery, API root, the collection titled `title`, as a client finds them. */
  async function collectionPath(key: string, title: string): Promise<string> {
    const discovery = (await taxii(key, '/taxii2/', 'discovery')).body as { default: string };
    const root = new URL(discovery.default).pathname;
    await taxii(key, root, 'apiRoot');
    const { collections } = (await taxii(key, `${root}collections/`, 'collections')).body as {
      collections: { id: string; title: string }[];
    };
    const found = collections.find((c) => c.title === title);
    if (!found) throw new Error(`no collection ${title} in ${collections.map((c) => c.title).join(', ')}`);
    return `${root}collections/${found.id}/`;
  }

  /** Every object of a collection, following `next` with a small `limit`. */
  async function pullAll(
    key: string,
    collection: string,
    query = '',
  ): Promise<{ objects: StixObject[]; last?: string }> {
    const objects: StixObject[] = [];
    let next: string | undefined;
    let last: string | undefined;
    for (let pages = 0; pages < 100; pages++) {
      const params = new URLSearchParams(query);
      params.set('limit', '4');
      if (next) params.set('next', next);
      const page = await taxii(key, `${collection}objects/?${params.toString()}`, 'envelope');
      const body = page.body as { more?: boolean; next?: string; objects?: StixObject[] };
      objects.push(...(body.objects ?? []));
      last = page.headers.get('x-taxii-date-added-last') ?? last;
      if (!body.more) return { objects, last };
      next = body.next;
    }
    throw new Error('more than 100 pages');
  }

  const reports = (objects: StixObject[]) =>
    objects
      .filter((o) => o.type === 'report')
      .map((o) => `${o.x_harbourwatch_bulletin_id}/v${o.x_harbourwatch_version}`);
  const expectedUpTo = (tlps: string[]) => versions.filter((v) => tlps.includes(v.tlp)).map((v) => v.key);

  beforeAll(async () => {
    t = await startTestApp();
    const terminal = await makeOrganisation(t, OrganisationType.TERMINAL_OPERATOR, ['NLRTM']);
    police = await makeOrganisation(t, OrganisationType.POLICE, ['NLRTM']);
    customs = await makeOrganisation(t, OrganisationType.CUSTOMS, ['NLRTM']);
    author = await member(t, terminal, MemberRole.ANALYST);
    policeAnalyst = await member(t, police, MemberRole.ANALYST);
    policeAdmin = await member(t, police, MemberRole.ORG_ADMIN);
    const publish = async (tlp: string, extra: Record<string, unknown> = {}) => {
      const id = await publishBulletin(t, author.token, { tlp, ...extra });
      return id;
    };
    for (const tlp of ['CLEAR', 'GREEN']) versions.push({ key: `${await publish(tlp)}/v1`, tlp });
    for (const tlp of ['AMBER', 'AMBER_STRICT'])
      versions.push({ key: `${await publish(tlp, { recipientOrganisationIds: [police] })}/v1`, tlp });
    versions.push({ key: `${await publish('RED', { recipientUserIds: [policeAnalyst.id] })}/v1`, tlp: 'RED' });
    await publish('AMBER_STRICT', { recipientOrganisationIds: [customs] }); // not the police's
    // Revised from AMBER+STRICT for the police to GREEN: each version is read by its own marking.
    const revised = await publish('AMBER_STRICT', { recipientOrganisationIds: [police] });
    versions.push({ key: `${revised}/v1`, tlp: 'AMBER_STRICT' }, { key: `${revised}/v2`, tlp: 'GREEN' });
    const r = await t.gql(
      `mutation($id: ID!, $input: BulletinInput!) { reviseBulletin(id: $id, input: $input, changeNote: "widened") { id } }`,
      { id: revised, input: bulletinInput({ tlp: 'GREEN' }) },
      author.token,
    );
    expect(r.errors).toBeUndefined();
    const create = async (maxTlp: string) =>
      (
        await t.gql(
          `mutation($i: MachineClientInput!) { createMachineClient(input: $i) { key } }`,
          { i: { name: `OpenCTI ${maxTlp}`, maxTlp } },
          policeAdmin.token,
        )
      ).data.createMachineClient.key as string;
    strictKey = await create('AMBER_STRICT');
    greenKey = await create('GREEN');
  });
  afterAll(() => t.close());

  it('pulls, page by page, exactly what the client may read, each version by its own marking, never RED', async () => {
    const all = await pullAll(strictKey, await collectionPath(strictKey, 'Bulletins visible to you'));
    expect(reports(all.objects).sort()).toEqual(expectedUpTo(['CLEAR', 'GREEN', 'AMBER', 'AMBER_STRICT']).sort());
    // No object twice, the author's identity included (taxii-paging.e2e-spec.ts checks paging itself).
    const keys = all.objects.map((o) => `${o.id}|${o.modified}`);
    expect(new Set(keys).size).toBe(keys.length);

    const green = await pullAll(greenKey, await collectionPath(greenKey, 'Bulletins visible to you'));
    expect(reports(green.objects).sort()).toEqual(expectedUpTo(['CLEAR', 'GREEN']).sort());
    // A person's token reads what they may: the analyst named on the RED bulletin reads it too.
    const person = await pullAll(
      policeAnalyst.token,
      await collectionPath(policeAnalyst.token, 'Bulletins visible to you'),
    );
    expect(reports(person.objects).sort()).toEqual(versions.map((v) => v.key).sort());
  });

  it('offers one collection per marking the client may read, each with only that marking', async () => {
    const { collections } = (await taxii(greenKey, '/taxii2/api/collections/', 'collections')).body as {
      collections: { title: string }[];
    };
    expect(collections.map((c) => c.title)).toEqual([
      'Bulletins visible to you',
      'TLP:CLEAR bulletins',
      'TLP:GREEN bulletins',
    ]);
    const amber = await pullAll(strictKey, await collectionPath(strictKey, 'TLP:AMBER bulletins'));
    expect(reports(amber.objects)).toEqual(expectedUpTo(['AMBER']));
    // The RED collection is no client's: a client that names it gets what an unknown id gets.
    const red = await collectionPath(policeAnalyst.token, 'TLP:RED bulletins');
    expect((await taxii(strictKey, red, 'error')).status).toBe(404);
    expect((await taxii(strictKey, `${red}objects/`, 'error')).status).toBe(404);
  });

  it('polls with added_after: only what was added since, a retraction as a revoked report', async () => {
    const collection = await collectionPath(strictKey, 'Bulletins visible to you');
    const { last } = await pullAll(strictKey, collection);
    const fresh = await publishBulletin(t, author.token, { tlp: 'GREEN' });
    const retracted = versions.find((v) => v.tlp === 'CLEAR')!.key.split('/')[0];
    await t.gql(
      `mutation($id: ID!) { retractBulletin(id: $id, reason: "wrong container") { id } }`,
      { id: retracted },
      author.token,
    );
    const since = await pullAll(strictKey, collection, `added_after=${last}`);
    expect(reports(since.objects).sort()).toEqual([`${fresh}/v1`, `${retracted}/v1`].sort());
    expect(since.objects.find((o) => o.x_harbourwatch_bulletin_id === retracted && o.type === 'report')!.revoked).toBe(
      true,
    );
    // Its indicators are revoked with it, so detections downstream stop too.
    const report = since.objects.find((o) => o.x_harbourwatch_bulletin_id === retracted && o.type === 'report')!;
    const refs = (report as StixObject & { object_refs: string[] }).object_refs.filter((r) =>
      r.startsWith('indicator--'),
    );
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs)
      expect(since.objects.find((o) => o.id === ref)).toMatchObject({ revoked: true, modified: report.modified });
  });

  it('answers match[type], match[id], an object, its versions and the manifest', async () => {
    const collection = await collectionPath(strictKey, 'Bulletins visible to you');
    const indicators = await pullAll(strictKey, collection, 'match[type]=indicator');
    expect(indicators.objects.length).toBeGreaterThan(0);
    expect(new Set(indicators.objects.map((o) => o.type))).toEqual(new Set(['indicator']));
    const report = (await pullAll(strictKey, collection, 'match[type]=report')).objects[0];
    const byId = await taxii(strictKey, `${collection}objects/?match[id]=${report.id}`, 'envelope');
    expect((byId.body.objects as StixObject[]).map((o) => o.id)).toEqual([report.id]);
    const one = await taxii(strictKey, `${collection}objects/${report.id}/`, 'envelope');
    expect((one.body.objects as StixObject[])[0]).toMatchObject({ id: report.id, type: 'report' });
    const history = await taxii(strictKey, `${collection}objects/${report.id}/versions/`, 'versions');
    expect(history.body.versions).toEqual([report.modified]);
    const manifest = await taxii(strictKey, `${collection}manifest/?match[type]=report`, 'manifest');
    expect((manifest.body.objects as { id: string }[]).map((o) => o.id)).toContain(report.id);
    // Another organisation's object answers as one that does not exist.
    expect(
      (await taxii(strictKey, `${collection}objects/report--00000000-0000-5000-8000-000000000000/`, 'error')).status,
    ).toBe(404);
  });

  it('pages over 10,000 objects with no duplicate and no gap while bulletins are being published', async () => {
    const collection = await collectionPath(strictKey, 'TLP:GREEN bulletins');
    const containers: string[] = [];
    const published: string[] = [];
    const publishWith = async (count: number) => {
      const indicators = Array.from({ length: count }, () => uniqueContainerNumber('TXCU'));
      containers.push(...indicators);
      published.push(
        await publishBulletin(t, author.token, {
          tlp: 'GREEN',
          indicators: indicators.map((value) => ({ type: 'CONTAINER_NUMBER', value })),
        }),
      );
    };
    // 100 bulletins of 99 indicators: 10,000 reports and indicators.
    for (let i = 0; i < 100; i++) await publishWith(99);

    const seen: string[] = [];
    const values = new Set<string>();
    const keep = (objects: (StixObject & { x_harbourwatch_value?: string })[]) => {
      for (const o of objects.filter((x) => x.type === 'report' || x.type === 'indicator')) {
        seen.push(`${o.id}|${o.modified}`);
        if (o.x_harbourwatch_value) values.add(o.x_harbourwatch_value);
      }
    };
    const page = async (query: string) => {
      const res = await taxii(strictKey, `${collection}objects/?${query}`, 'envelope');
      const body = res.body as { more?: boolean; next?: string; objects?: StixObject[] };
      keep(body.objects ?? []);
      return { body, last: res.headers.get('x-taxii-date-added-last') };
    };
    // A client pages through while 20 more bulletins are published.
    let last: string | null = null;
    await Promise.all([
      (async () => {
        let next: string | undefined;
        do {
          const p = await page(`limit=1000${next ? `&next=${next}` : ''}`);
          last = p.last ?? last;
          next = p.body.more ? p.body.next : undefined;
        } while (next);
      })(),
      (async () => {
        for (let i = 0; i < 20; i++) await publishWith(5);
      })(),
    ]);
    // Then polls for what was added since its last page, until nothing is new.
    for (;;) {
      const p = await page(`limit=1000&added_after=${last}`);
      if (!p.body.objects?.length) break;
      last = p.last ?? last;
    }
    expect(seen.length).toBeGreaterThanOrEqual(10_100);
    expect(new Set(seen).size).toBe(seen.length);
    expect(containers.filter((c) => !values.has(c))).toEqual([]);
  }, 120_000);

  it('refuses what TAXII refuses: a client that accepts no TAXII, a malformed filter, no key', async () => {
    const collection = await collectionPath(strictKey, 'Bulletins visible to you');
    expect((await taxii(strictKey, `${collection}objects/`, 'error', 'text/html')).status).toBe(406);
    expect((await taxii(strictKey, `${collection}objects/?added_after=yesterday`, 'error')).status).toBe(400);
    expect((await taxii(strictKey, `${collection}objects/?next=bm90IGEgY3Vyc29y`, 'error')).status).toBe(400);
    expect((await fetch(`${t.baseUrl}${collection}objects/`, { headers: { accept: TAXII } })).status).toBe(401);
  });
});
