/**
 * The MISP feed, read as a MISP instance reads a feed it was given: manifest.json, then each event file,
 * then hashes.csv. Every event validates against a JSON Schema written from the MISP core format
 * (draft-dulaunoy-misp-core-format, and the keys and types MISP's own format/2.4/schema.json requires);
 * each key gets exactly the bulletins it may read up to its marking, and anything else answers as an
 * event that does not exist.
 */
import Ajv from 'ajv';
import { createHash } from 'node:crypto';
import { MemberRole, OrganisationType } from '../src/common/organisation-type';
import { publishBulletin, uniqueContainerNumber } from './helpers/bulletins';
import { makeOrganisation, member, TestUser } from './helpers/factory';
import { startTestApp, TestApp } from './helpers/test-app';

const str = { type: 'string' };
const org = { type: 'object', required: ['name', 'uuid'], properties: { id: str, name: str, uuid: str } };
/** An event as the MISP core format defines it; the required keys are those of MISP's format/2.4/schema.json. */
const EVENT_SCHEMA = {
  type: 'object',
  required: ['Event'],
  properties: {
    Event: {
      type: 'object',
      required: [
        'id',
        'orgc_id',
        'org_id',
        'date',
        'threat_level_id',
        'info',
        'published',
        'uuid',
        'attribute_count',
        'analysis',
        'timestamp',
        'distribution',
        'proposal_email_lock',
        'locked',
        'publish_timestamp',
        'sharing_group_id',
        'Org',
        'Orgc',
        'Attribute',
        'ShadowAttribute',
        'RelatedEvent',
        'Tag',
      ],
      properties: {
        id: str,
        orgc_id: str,
        org_id: str,
        date: { type: 'string', pattern: '^\\d{4}-\\d\\d-\\d\\d$' },
        threat_level_id: { enum: ['1', '2', '3', '4'] },
        info: str,
        published: { type: 'boolean' },
        uuid: { type: 'string', format: 'uuid' },
        attribute_count: { type: 'string', pattern: '^\\d+$' },
        analysis: { enum: ['0', '1', '2'] },
        timestamp: { type: 'string', pattern: '^\\d+$' },
        distribution: { enum: ['0', '1', '2', '3', '4', '5'] },
        proposal_email_lock: { type: 'boolean' },
        locked: { type: 'boolean' },
        publish_timestamp: { type: 'string', pattern: '^\\d+$' },
        sharing_group_id: str,
        Org: org,
        Orgc: org,
        Attribute: {
          type: 'array',
          items: {
            type: 'object',
            required: ['uuid', 'type', 'category', 'value', 'to_ids', 'timestamp', 'distribution'],
            properties: {
              id: str,
              type: str,
              category: str,
              to_ids: { type: 'boolean' },
              uuid: { type: 'string', format: 'uuid' },
              event_id: str,
              distribution: str,
              timestamp: str,
              comment: str,
              sharing_group_id: str,
              value: str,
              SharingGroup: { type: 'array' },
              ShadowAttribute: { type: 'array' },
            },
          },
        },
        ShadowAttribute: { type: 'array' },
        RelatedEvent: { type: 'array', maxItems: 0 },
        Tag: {
          type: 'array',
          items: {
            type: 'object',
            required: ['name'],
            properties: { name: str, colour: str, exportable: { type: 'boolean' } },
          },
        },
      },
    },
  },
};
const ajv = new Ajv({ allErrors: true, strict: false, formats: { uuid: /^[0-9a-f-]{36}$/ } });
const validEvent = ajv.compile(EVENT_SCHEMA);

type MispEvent = {
  Event: {
    uuid: string;
    info: string;
    Tag: { name: string }[];
    Attribute: { type: string; category: string; value: string; to_ids: boolean }[];
  };
};

describe('MISP feed', () => {
  let t: TestApp;
  let author: TestUser;
  let greenKey: string;
  let amberKey: string;
  const ids = {} as Record<'clear' | 'green' | 'amber' | 'strict' | 'retracted' | 'draft', string>;
  const container = uniqueContainerNumber('MFCU');

  const get = (path: string, key: string) =>
    fetch(`${t.baseUrl}/misp/feed/${path}`, { headers: { authorization: `Bearer ${key}` } });
  /** What a MISP instance does with a feed: the manifest, each event it lists, the hashes. */
  async function pull(key: string) {
    const manifest = (await (await get('manifest.json', key)).json()) as Record<
      string,
      { info: string; timestamp: string }
    >;
    const events: MispEvent[] = [];
    for (const uuid of Object.keys(manifest)) {
      const res = await get(`${uuid}.json`, key);
      expect(res.status).toBe(200);
      const event = (await res.json()) as MispEvent;
      if (!validEvent(event)) throw new Error(`${uuid}: ${JSON.stringify(validEvent.errors)}`);
      events.push(event);
    }
    const hashes = (await (await get('hashes.csv', key)).text()).trim().split('\n').filter(Boolean);
    return { manifest, events, hashes };
  }

  beforeAll(async () => {
    t = await startTestApp();
    const terminal = await makeOrganisation(t, OrganisationType.TERMINAL_OPERATOR, ['NLRTM']);
    const police = await makeOrganisation(t, OrganisationType.POLICE, ['NLRTM']);
    author = await member(t, terminal, MemberRole.ANALYST);
    const admin = await member(t, police, MemberRole.ORG_ADMIN);
    const indicators = [
      { type: 'CONTAINER_NUMBER', value: container },
      { type: 'IP_ADDRESS', value: '203.0.113.45' },
      { type: 'URL', value: 'https://pin-portal.example.com/login' },
      { type: 'FILE_HASH', value: 'ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c' },
      { type: 'IBAN', value: 'NL91ABNA0417164300' },
    ];
    ids.clear = await publishBulletin(t, author.token, { tlp: 'CLEAR', indicators });
    ids.green = await publishBulletin(t, author.token, { tlp: 'GREEN', indicators, title: 'Phishing of PIN codes' });
    ids.amber = await publishBulletin(t, author.token, {
      tlp: 'AMBER',
      recipientOrganisationIds: [police],
      indicators,
    });
    ids.strict = await publishBulletin(t, author.token, {
      tlp: 'AMBER_STRICT',
      recipientOrganisationIds: [police],
      indicators,
    });
    ids.retracted = await publishBulletin(t, author.token, { tlp: 'GREEN', indicators, title: 'Wrong container' });
    await t.gql(
      `mutation($id: ID!) { retractBulletin(id: $id, reason: "wrong container") { id } }`,
      { id: ids.retracted },
      author.token,
    );
    ids.draft = (
      await t.gql(
        `mutation($input: BulletinInput!) { createBulletin(input: $input) { id } }`,
        {
          input: {
            title: 'Draft',
            summary: 'x',
            body: 'x',
            category: 'OTHER',
            severity: 'MINOR',
            urgency: 'FUTURE',
            certainty: 'POSSIBLE',
            tlp: 'CLEAR',
          },
        },
        author.token,
      )
    ).data.createBulletin.id;
    const key = async (maxTlp: string) =>
      (
        await t.gql(
          `mutation($i: MachineClientInput!) { createMachineClient(input: $i) { key } }`,
          { i: { name: `MISP ${maxTlp}`, maxTlp } },
          admin.token,
        )
      ).data.createMachineClient.key as string;
    greenKey = await key('GREEN');
    amberKey = await key('AMBER');
  });
  afterAll(() => t.close());

  it('gives each key exactly what it may read up to its marking, each event valid MISP core format', async () => {
    const green = await pull(greenKey);
    expect(Object.keys(green.manifest).sort()).toEqual([ids.clear, ids.green, ids.retracted].sort());
    const amber = await pull(amberKey);
    expect(Object.keys(amber.manifest).sort()).toEqual([ids.clear, ids.green, ids.amber, ids.retracted].sort());
    // Above the key's marking, a draft, another id: each answers as an event that does not exist.
    for (const id of [ids.amber, ids.strict, ids.draft, '00000000-0000-4000-8000-000000000000'])
      expect((await get(`${id}.json`, greenKey)).status).toBe(404);
    expect((await get(`${ids.strict}.json`, amberKey)).status).toBe(404);
    expect((await fetch(`${t.baseUrl}/misp/feed/manifest.json`)).status).toBe(401);
  });

  it('types attributes as MISP types, marks TLP as a tag, and tells IDS to ignore a retracted bulletin', async () => {
    const { events, hashes } = await pull(greenKey);
    const green = events.find((e) => e.Event.uuid === ids.green)!.Event;
    expect(green.info).toBe('Phishing of PIN codes');
    expect(green.Tag.map((x) => x.name)).toContain('tlp:green');
    expect(green.Attribute.map((a) => [a.type, a.category, a.value, a.to_ids]).sort()).toEqual(
      [
        ['text', 'Other', container, false],
        ['ip-dst', 'Network activity', '203.0.113.45', true],
        ['url', 'Network activity', 'https://pin-portal.example.com/login', true],
        ['sha256', 'Payload delivery', 'ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c', true],
        ['iban', 'Financial fraud', 'NL91ABNA0417164300', false],
      ].sort(),
    );
    const retracted = events.find((e) => e.Event.uuid === ids.retracted)!.Event;
    expect(retracted.info).toBe('[RETRACTED] Wrong container');
    expect(retracted.Tag.map((x) => x.name)).toContain('harbourwatch:status="retracted"');
    expect(retracted.Attribute.every((a) => !a.to_ids)).toBe(true);
    // hashes.csv: the MD5 of every attribute value, with its event.
    const expected = events.flatMap((e) =>
      e.Event.Attribute.map((a) => `${createHash('md5').update(a.value).digest('hex')},${e.Event.uuid}`),
    );
    expect(hashes.sort()).toEqual(expected.sort());
  });

  it('audits each event read by the key', async () => {
    const trail = await t.dataSource.query(
      `SELECT object_id FROM audit_events WHERE action = 'exportMisp' AND object_id = $1`,
      [ids.green],
    );
    expect(trail.length).toBeGreaterThan(0);
  });
});
