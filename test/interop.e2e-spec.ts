import Ajv2020 from 'ajv/dist/2020';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateXML } from 'xmllint-wasm';
import { TLP_MARKING_IDS } from '../src/interop/tlp-markings';
import { MemberRole, OrganisationType } from '../src/common/organisation-type';
import { Tlp } from '../src/common/tlp';
import { iso6346CheckDigit } from '../src/bulletins/indicators';
import { bulletinInput, publishBulletin } from './helpers/bulletins';
import { makeOrganisation, member, TestUser } from './helpers/factory';
import { codeOf, startTestApp, TestApp } from './helpers/test-app';

const stixSchema = JSON.parse(readFileSync(join(__dirname, 'fixtures', 'stix-2.1-bundle.schema.json'), 'utf8'));
const validateBundle = new Ajv2020({ allErrors: true, strict: false }).compile(stixSchema);
const capXsd = readFileSync(join(__dirname, 'fixtures', 'cap-1.2.xsd'), 'utf8');

async function capErrors(xml: string): Promise<string[]> {
  const result = await validateXML({ xml: [{ fileName: 'alert.xml', contents: xml }], schema: [capXsd] });
  return result.errors.map((e) => e.message);
}
/** The CAP alerts inside an Atom feed, each as a document of its own. */
const alertsOf = (feed: string) =>
  [...feed.matchAll(/<alert xmlns="urn:oasis:names:tc:emergency:cap:1\.2">[\s\S]*?<\/alert>/g)].map(
    (m) => `<?xml version="1.0" encoding="UTF-8"?>\n${m[0]}`,
  );

describe('interoperability: STIX 2.1 and CAP 1.2', () => {
  let t: TestApp;
  let author: TestUser; // terminal operator in NLRTM
  let outsider: TestUser; // police in DEHAM: no rule, not named
  let importer: TestUser; // customs analyst who imports
  const ids = {} as Record<'clear' | 'green' | 'amber' | 'strict' | 'red' | 'retracted', string>;
  const get = (path: string, token?: string) =>
    fetch(`${t.baseUrl}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const json = async (res: Response): Promise<any> => res.json();

  beforeAll(async () => {
    t = await startTestApp();
    author = await member(
      t,
      await makeOrganisation(t, OrganisationType.TERMINAL_OPERATOR, ['NLRTM']),
      MemberRole.ANALYST,
    );
    outsider = await member(t, await makeOrganisation(t, OrganisationType.POLICE, ['DEHAM']), MemberRole.MEMBER);
    importer = await member(t, await makeOrganisation(t, OrganisationType.CUSTOMS, ['BEANR']), MemberRole.ANALYST);
    const indicators = [
      { type: 'CONTAINER_NUMBER', value: 'CSQU 305438-3' },
      { type: 'IMO_NUMBER', value: '9074729' },
      { type: 'SEAL_NUMBER', value: 'SL-7701' },
      { type: 'LICENCE_PLATE', value: '12-ABC-3' },
      { type: 'VESSEL_NAME', value: 'Ever Given' },
      { type: 'COMPANY', value: "O'Brien Haulage B.V." },
      { type: 'OTHER', value: 'gate 4 \\ night' },
    ];
    ids.clear = await publishBulletin(t, author.token, {
      tlp: 'CLEAR',
      title: 'Cloned container numbers in circulation',
      indicators,
    });
    await t.gql(
      `mutation($id: ID!, $input: BulletinInput!) { reviseBulletin(id: $id, input: $input, changeNote: "more detail") { version } }`,
      {
        id: ids.clear,
        input: bulletinInput({ tlp: 'CLEAR', title: 'Cloned container numbers in circulation (update)', indicators }),
      },
      author.token,
    );
    ids.green = await publishBulletin(t, author.token, { tlp: 'GREEN', title: 'Green alert' });
    ids.amber = await publishBulletin(t, author.token, { tlp: 'AMBER', title: 'Amber alert' });
    ids.strict = await publishBulletin(t, author.token, { tlp: 'AMBER_STRICT', title: 'Strict alert' });
    ids.red = await publishBulletin(t, author.token, { tlp: 'RED', title: 'Red alert', recipientUserIds: [author.id] });
    ids.retracted = await publishBulletin(t, author.token, { tlp: 'CLEAR', title: 'Withdrawn alert' });
    await t.gql(
      `mutation($id: ID!) { retractBulletin(id: $id, reason: "false alarm") { status } }`,
      { id: ids.retracted },
      author.token,
    );
  });
  afterAll(() => t.close());

  describe('STIX export', () => {
    it('exports a bulletin as a schema-valid bundle: a report per version, typed indicators, the official TLP marking, the author identity', async () => {
      const res = await get(`/stix/bulletins/${ids.clear}`, outsider.token);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/application\/stix\+json/);
      const bundle = await json(res);
      expect(validateBundle(bundle) ? [] : validateBundle.errors).toEqual([]);
      const byType = (type: string) => bundle.objects.filter((o: { type: string }) => o.type === type);
      expect(
        byType('report')
          .map((r: { x_harbourwatch_version: number }) => r.x_harbourwatch_version)
          .sort(),
      ).toEqual([1, 2]);
      expect(byType('marking-definition').map((m: { id: string }) => m.id)).toEqual([TLP_MARKING_IDS[Tlp.CLEAR]]);
      expect(byType('identity')).toHaveLength(1);
      const patterns = byType('indicator')
        .filter((i: { id: string }) => byType('report')[0].object_refs.includes(i.id))
        .map((i: { pattern: string }) => i.pattern);
      expect(patterns).toEqual(
        expect.arrayContaining([
          "[x-harbourwatch-container:number = 'CSQU3054383']",
          "[x-harbourwatch-vessel:imo_number = '9074729']",
          "[x-harbourwatch-company:name = 'O\\'Brien Haulage B.V.']",
        ]),
      );
      const withdrawn = await json(await get(`/stix/bulletins/${ids.retracted}`, outsider.token));
      expect(withdrawn.objects.find((o: { type: string }) => o.type === 'report').revoked).toBe(true);
    });

    it('follows the same visibility as GraphQL on every path', async () => {
      for (const key of ['amber', 'strict', 'red'] as const) {
        expect([key, (await get(`/stix/bulletins/${ids[key]}`, outsider.token)).status]).toEqual([key, 404]);
      }
      expect((await get(`/stix/bulletins/${ids.amber}`, author.token)).status).toBe(200);
      expect((await get(`/stix/bulletins/${ids.clear}`)).status).toBe(401);
      const all = await json(
        await get(
          `/stix/bulletins?since=${encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString())}`,
          outsider.token,
        ),
      );
      expect(validateBundle(all) ? [] : validateBundle.errors).toEqual([]);
      const exported = new Set(
        all.objects
          .filter((o: { type: string }) => o.type === 'report')
          .map((r: { x_harbourwatch_bulletin_id: string }) => r.x_harbourwatch_bulletin_id),
      );
      expect([...exported].sort()).toEqual([ids.clear, ids.green, ids.retracted].sort());
      const text = JSON.stringify(all);
      for (const hidden of [ids.amber, ids.strict, ids.red]) expect(text).not.toContain(hidden);
      expect((await get(`/stix/bulletins?since=yesterday`, outsider.token)).status).toBe(400);
    });

    it('has a schema that refuses what STIX forbids', () => {
      const broken = {
        type: 'bundle',
        id: 'bundle--6b2c0b6e-4a6f-4d3a-9a55-2f1e1c5d7e10',
        objects: [
          {
            type: 'indicator',
            spec_version: '2.1',
            id: 'indicator--6b2c0b6e-4a6f-4d3a-9a55-2f1e1c5d7e10',
            created: '2026-01-01T00:00:00Z',
            modified: '2026-01-01T00:00:00.000Z',
            pattern_type: 'stix',
            valid_from: '2026-01-01T00:00:00Z',
            Bad_Key: 1,
          },
        ],
      };
      expect(validateBundle(broken)).toBe(false);
    });
  });

  describe('STIX import', () => {
    it('round-trips: export, import as another organisation, same indicators and TLP, the rest listed', async () => {
      const bundle = await json(await get(`/stix/bulletins/${ids.clear}`, outsider.token));
      // Keep the latest version only, and add what an import cannot use.
      const [, latest] = bundle.objects
        .filter((o: { type: string }) => o.type === 'report')
        .sort(
          (a: { x_harbourwatch_version: number }, b: { x_harbourwatch_version: number }) =>
            a.x_harbourwatch_version - b.x_harbourwatch_version,
        );
      const older = bundle.objects
        .filter((o: { type: string; id: string }) => o.type === 'report' && o.id !== latest.id)
        .map((o: { id: string }) => o.id);
      bundle.objects = bundle.objects.filter((o: { id: string }) => !older.includes(o.id));
      bundle.objects.push({
        type: 'malware',
        spec_version: '2.1',
        id: 'malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b',
        created: '2026-01-01T00:00:00.000Z',
        modified: '2026-01-01T00:00:00.000Z',
        name: 'x',
        is_family: false,
      });
      const r = await t.gql(
        `mutation($b: JSONObject!) { importStixBundle(bundle: $b) { drafts { id status tlp title category indicators { type value } } skipped { id type reason } } }`,
        { b: bundle },
        importer.token,
      );
      expect(r.errors).toBeUndefined();
      const [draft] = r.data.importStixBundle.drafts;
      expect(draft).toMatchObject({
        status: 'DRAFT',
        tlp: 'CLEAR',
        title: 'Cloned container numbers in circulation (update)',
        category: 'INSIDER_THREAT',
      });
      const original = (
        await t.gql(
          `query($id: ID!) { bulletin(id: $id) { indicators { type value } } }`,
          { id: ids.clear },
          author.token,
        )
      ).data.bulletin.indicators;
      const key = (list: { type: string; value: string }[]) => list.map((i) => `${i.type}:${i.value}`).sort();
      expect(key(draft.indicators)).toEqual(key(original));
      const skipped = r.data.importStixBundle.skipped;
      expect(skipped).toContainEqual({
        id: 'malware--31b940d4-6f7f-459a-80ea-9c1f17b5891b',
        type: 'malware',
        reason: 'malware objects are not imported',
      });
      expect(skipped.filter((s: { type: string }) => s.type === 'indicator').length).toBeGreaterThan(0); // the older version's indicators
      expect(
        codeOf(
          await t.gql(
            `mutation($b: JSONObject!) { importStixBundle(bundle: $b) { skipped { id } } }`,
            { b: { type: 'not-a-bundle' } },
            importer.token,
          ),
        ),
      ).toBe('BAD_USER_INPUT');
      expect(
        codeOf(
          await t.gql(
            `mutation($b: JSONObject!) { importStixBundle(bundle: $b) { skipped { id } } }`,
            { b: bundle },
            outsider.token,
          ),
        ),
      ).toBe('FORBIDDEN');
    });
  });

  describe('STIX import of a feed (indicators, no report)', () => {
    const IMPORT = `mutation($b: JSONObject!) { importStixBundle(bundle: $b) {
      drafts { id status tlp title indicators { type value } } skipped { id type reason } } }`;
    const container = `MSCU123456${iso6346CheckDigit('MSCU123456')}`;
    const indicator = (id: string, pattern: string, extra: Record<string, unknown> = {}) => ({
      type: 'indicator',
      spec_version: '2.1',
      id: `indicator--${id}`,
      created: '2014-06-29T13:49:37.079Z',
      modified: '2014-06-29T13:49:37.079Z',
      pattern,
      pattern_type: 'stix',
      valid_from: '2014-06-29T13:49:37.079341Z',
      ...extra,
    });

    it('puts the indicators of a feed into one draft for review and lists the rest as skipped', async () => {
      const bundle = {
        type: 'bundle',
        id: 'bundle--44af6c39-c09b-49c5-9de2-394224b04982',
        objects: [
          // The OASIS STIX 2.1 example "Indicator for Malicious URL".
          indicator('d81f86b9-975b-4c0b-875e-810c5ad45a4f', "[url:value = 'http://x4z9arb.cn/4712/']", {
            name: 'Malicious site hosting downloader',
            indicator_types: ['malicious-activity'],
          }),
          indicator('1f3c3a6e-2f3b-4c7c-9d5e-6a2f1c1b0a01', `[x-harbourwatch-container:number = '${container}']`, {
            name: 'Cloned container',
            object_marking_refs: [TLP_MARKING_IDS[Tlp.GREEN]],
          }),
          // Another tool's own observable types: recognised by the check digits of their values.
          indicator('1f3c3a6e-2f3b-4c7c-9d5e-6a2f1c1b0a02', "[x-acme-vessel:imo = 'IMO 9074729']"),
          indicator('1f3c3a6e-2f3b-4c7c-9d5e-6a2f1c1b0a03', "[x-acme-box:id = 'MSCU1234560']"),
          {
            type: 'malware',
            spec_version: '2.1',
            id: 'malware--162d917e-766f-4611-b5d6-652791454fca',
            created: '2014-06-30T09:15:17.182Z',
            modified: '2014-06-30T09:15:17.182Z',
            name: 'x4z9arb backdoor',
            is_family: false,
          },
        ],
      };
      const r = await t.gql(IMPORT, { b: bundle }, importer.token);
      expect(r.errors).toBeUndefined();
      const { drafts, skipped } = r.data.importStixBundle;
      expect(drafts).toHaveLength(1);
      // Unmarked indicators count as AMBER+STRICT: the strictest marking wins, nothing shared before review.
      expect(drafts[0]).toMatchObject({ status: 'DRAFT', tlp: 'AMBER_STRICT', title: 'Indicators from a STIX feed' });
      expect(drafts[0].indicators).toEqual(
        expect.arrayContaining([
          { type: 'CONTAINER_NUMBER', value: container },
          { type: 'IMO_NUMBER', value: '9074729' },
          { type: 'URL', value: 'http://x4z9arb.cn/4712/' },
        ]),
      );
      expect(drafts[0].indicators).toHaveLength(3);
      expect(skipped).toEqual(
        expect.arrayContaining([
          {
            // Neither a container number (its check digit is wrong) nor anything else Harbourwatch records.
            id: 'indicator--1f3c3a6e-2f3b-4c7c-9d5e-6a2f1c1b0a03',
            type: 'indicator',
            reason: 'indicator pattern names nothing Harbourwatch records',
          },
          {
            id: 'malware--162d917e-766f-4611-b5d6-652791454fca',
            type: 'malware',
            reason: 'malware objects are not imported',
          },
        ]),
      );
    });

    it('creates nothing from a feed of nothing Harbourwatch records', async () => {
      const bundle = {
        type: 'bundle',
        id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d',
        objects: [indicator('8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f', "[file:name = 'CBricksDoc']")],
      };
      const r = await t.gql(IMPORT, { b: bundle }, importer.token);
      expect(r.data.importStixBundle).toEqual({
        drafts: [],
        skipped: [
          {
            id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
            type: 'indicator',
            reason: 'indicator pattern names nothing Harbourwatch records',
          },
        ],
      });
    });
  });

  describe('CAP 1.2', () => {
    it('publishes CLEAR bulletins to anyone as schema-valid CAP in an Atom feed, and nothing else', async () => {
      const res = await get('/cap/feed.xml');
      expect(res.status).toBe(200);
      const feed = await res.text();
      const alerts = alertsOf(feed);
      expect(alerts).toHaveLength(2); // the revised CLEAR (an Update) and the retracted one (a Cancel)
      for (const alert of alerts) expect(await capErrors(alert)).toEqual([]);
      expect(feed).toContain('<msgType>Update</msgType>');
      expect(feed).toContain('<msgType>Cancel</msgType>');
      expect(feed).toContain('<value>CSQU3054383</value>');
      for (const hidden of [ids.green, ids.amber, ids.strict, ids.red]) expect(feed).not.toContain(hidden);
    });

    it('adds GREEN for a member who brings a token, never anything above', async () => {
      const feed = await (await get('/cap/feed.xml', outsider.token)).text();
      expect(feed).toContain(ids.green);
      for (const alert of alertsOf(feed)) expect(await capErrors(alert)).toEqual([]);
      expect(feed).toContain('<scope>Restricted</scope>');
      for (const hidden of [ids.amber, ids.strict, ids.red]) expect(feed).not.toContain(hidden);
      const authorFeed = await (await get('/cap/feed.xml', author.token)).text();
      for (const hidden of [ids.amber, ids.strict, ids.red]) expect(authorFeed).not.toContain(hidden);
      expect((await get('/cap/feed.xml', 'not-a-token')).status).toBe(401);
    });

    it('serves single alerts with the same rules', async () => {
      const clear = await get(`/cap/alerts/${ids.clear}.xml`);
      expect(clear.status).toBe(200);
      expect(await capErrors(await clear.text())).toEqual([]);
      expect((await get(`/cap/alerts/${ids.green}.xml`)).status).toBe(404);
      const green = await get(`/cap/alerts/${ids.green}.xml`, outsider.token);
      expect(await capErrors(await green.text())).toEqual([]);
      expect((await get(`/cap/alerts/${ids.amber}.xml`, author.token)).status).toBe(404);
      expect((await get(`/cap/alerts/nonsense.xml`)).status).toBe(404);
    });

    it('checks CAP against an XSD that refuses what CAP forbids', async () => {
      const alert = await (await get(`/cap/alerts/${ids.clear}.xml`)).text();
      expect(await capErrors(alert.replace(/<sent>([^<]+)\+00:00<\/sent>/, '<sent>$1Z</sent>'))).not.toEqual([]);
      expect(await capErrors(alert.replace('<severity>Severe</severity>', '<severity>SEVERE</severity>'))).not.toEqual(
        [],
      );
    });
  });
});
