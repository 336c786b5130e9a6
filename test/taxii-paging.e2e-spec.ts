/**
 * TAXII 2.1 paging as clients rely on it (§3.2-§3.5): over 1,000+ objects of several authors, with
 * `limit` 1, 5 and 100, every object comes once, a page holds at most `limit`, `date_added` ascends,
 * `added_after` is strict (a client resuming from X-TAXII-Date-Added-Last gets exactly the rest), and the
 * headers are the page's own first and last dates. A consumer that imports each page as its own bundle
 * (as OpenCTI's ingester does) resolves every reference from that page or an earlier one. Then the HTTP
 * rules: 401 with WWW-Authenticate, 406 for another TAXII version, 429 with Retry-After once a key has
 * used its allowance of work, and HTTP Basic with the key as password.
 */
import { MemberRole, OrganisationType } from '../src/common/organisation-type';
import { bulletinInput, publishBulletin, uniqueContainerNumber } from './helpers/bulletins';
import { makeOrganisation, member, TestUser } from './helpers/factory';
import { startTestApp, TestApp } from './helpers/test-app';
import { windowWithRoom } from './helpers/wait';

const TAXII = 'application/taxii+json;version=2.1';
const TLP_MARKINGS = new Set([
  'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
]);
/** The export allowance of the second app (rows read + objects sent): two walks of its collection fit, a third does not. */
const WORK_ALLOWANCE = 1_000;

type Stix = {
  id: string;
  type: string;
  modified?: string;
  created_by_ref?: string;
  object_refs?: string[];
  object_marking_refs?: string[];
  x_harbourwatch_bulletin_id?: string;
  x_harbourwatch_version?: number;
};
type ManifestEntry = { id: string; date_added: string; version: string };
interface Page<T> {
  objects: T[];
  more: boolean;
  next?: string;
  first: string | null;
  last: string | null;
}

describe('TAXII 2.1 paging', () => {
  let t: TestApp;
  let reader: TestUser;
  let readerAdmin: TestUser;
  let collection: string;
  /** `bulletin/vN` of every version the reader may read. */
  const readable = new Set<string>();
  const authors: string[] = [];
  let hiddenAuthor: string;

  const get = (path: string, authorization: string, accept = TAXII) =>
    fetch(`${t.baseUrl}${path}`, { headers: { authorization, accept } });

  async function page<T>(path: string, query: Record<string, string>, auth: string): Promise<Page<T>> {
    const res = await get(`${collection}${path}/?${new URLSearchParams(query).toString()}`, auth);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { objects?: T[]; more?: boolean; next?: string };
    return {
      objects: body.objects ?? [],
      more: Boolean(body.more),
      next: body.next,
      first: res.headers.get('x-taxii-date-added-first'),
      last: res.headers.get('x-taxii-date-added-last'),
    };
  }

  /** Every page of `path`, following `next`. */
  async function walk<T>(path: 'objects' | 'manifest', limit: number, auth = `Bearer ${reader.token}`) {
    const pages: Page<T>[] = [];
    let next: string | undefined;
    do {
      const p = await page<T>(path, { limit: String(limit), ...(next ? { next } : {}) }, auth);
      pages.push(p);
      next = p.more ? p.next : undefined;
      if (p.more) expect(p.next).toBeTruthy();
    } while (next);
    return pages;
  }

  beforeAll(async () => {
    t = await startTestApp();
    const police = await makeOrganisation(t, OrganisationType.POLICE, ['NLRTM']);
    const customs = await makeOrganisation(t, OrganisationType.CUSTOMS, ['NLRTM']);
    reader = await member(t, police, MemberRole.ANALYST);
    readerAdmin = await member(t, police, MemberRole.ORG_ADMIN);
    const indicators = (n: number) =>
      Array.from({ length: n }, () => ({ type: 'CONTAINER_NUMBER', value: uniqueContainerNumber('PGCU') }));
    for (const type of [
      OrganisationType.TERMINAL_OPERATOR,
      OrganisationType.SHIPPING_COMPANY,
      OrganisationType.PORT_AUTHORITY,
    ]) {
      const org = await makeOrganisation(t, type, ['NLRTM']);
      authors.push(org);
      const analyst = await member(t, org, MemberRole.ANALYST);
      // The first author's first bulletin is for customs only: its identity reaches the police later.
      if (authors.length === 1)
        await publishBulletin(t, analyst.token, {
          tlp: 'AMBER_STRICT',
          recipientOrganisationIds: [customs],
          indicators: indicators(3),
        });
      for (let i = 0; i < 10; i++) {
        const amber = i % 3 === 0;
        const id = await publishBulletin(t, analyst.token, {
          tlp: amber ? 'AMBER' : 'GREEN',
          recipientOrganisationIds: amber ? [police] : [],
          indicators: indicators(33),
        });
        readable.add(`${id}/v1`);
        if (i === 4) {
          const r = await t.gql(
            `mutation($id: ID!, $input: BulletinInput!) { reviseBulletin(id: $id, input: $input, changeNote: "more") { id } }`,
            { id, input: bulletinInput({ tlp: 'GREEN', indicators: indicators(33) }) },
            analyst.token,
          );
          expect(r.errors).toBeUndefined();
          readable.add(`${id}/v2`);
        }
      }
    }
    // A fourth author the police never read: its identity must not reach them.
    hiddenAuthor = await makeOrganisation(t, OrganisationType.TERMINAL_OPERATOR, ['BEANR']);
    const hidden = await member(t, hiddenAuthor, MemberRole.ANALYST);
    await publishBulletin(t, hidden.token, { tlp: 'AMBER_STRICT', recipientOrganisationIds: [customs] });
    const discovery = (await (await get('/taxii2/api/collections/', `Bearer ${reader.token}`)).json()) as {
      collections: { id: string; title: string }[];
    };
    collection = `/taxii2/api/collections/${discovery.collections.find((c) => c.title === 'Bulletins visible to you')!.id}/`;
  }, 240_000);
  afterAll(() => t.close());

  let manifest: ManifestEntry[];

  it.each([1, 5, 100])(
    'limit %i: every object once, pages within limit, date_added ascending, headers equal to the page',
    async (limit) => {
      const pages = await walk<ManifestEntry>('manifest', limit);
      for (const [i, p] of pages.entries()) {
        expect(p.objects.length).toBeLessThanOrEqual(limit);
        if (i < pages.length - 1) expect(p.objects).toHaveLength(limit);
        expect(p.first).toBe(p.objects[0]?.date_added ?? null);
        expect(p.last).toBe(p.objects.at(-1)?.date_added ?? null);
      }
      const all = pages.flatMap((p) => p.objects);
      expect(all.length).toBeGreaterThan(1_000);
      for (let i = 1; i < all.length; i++) expect(all[i].date_added > all[i - 1].date_added).toBe(true);
      const keys = all.map((o) => `${o.id}|${o.version}`);
      expect(new Set(keys).size).toBe(keys.length);
      if (manifest) expect(all).toEqual(manifest);
      manifest = all;
    },
    180_000,
  );

  it('objects pages follow the manifest, with every readable version, each author identity once and no marking object', async () => {
    for (const limit of [5, 100]) {
      const pages = await walk<Stix>('objects', limit);
      const objects = pages.flatMap((p) => p.objects);
      expect(objects.map((o) => o.id)).toEqual(manifest.map((m) => m.id));
      let offset = 0;
      for (const p of pages) {
        expect(p.objects.length).toBeLessThanOrEqual(limit);
        expect([p.first, p.last]).toEqual([
          manifest[offset].date_added,
          manifest[offset + p.objects.length - 1].date_added,
        ]);
        offset += p.objects.length;
      }
      const reports = objects.filter((o) => o.type === 'report');
      expect(new Set(reports.map((r) => `${r.x_harbourwatch_bulletin_id}/v${r.x_harbourwatch_version}`))).toEqual(
        readable,
      );
      expect(objects.filter((o) => o.type === 'indicator')).toHaveLength(readable.size * 33);
      const identities = objects.filter((o) => o.type === 'identity') as (Stix & {
        x_harbourwatch_organisation_id: string;
      })[];
      expect(identities.map((o) => o.x_harbourwatch_organisation_id).sort()).toEqual([...authors].sort());
      expect(identities.map((o) => o.x_harbourwatch_organisation_id)).not.toContain(hiddenAuthor);
      expect(objects.filter((o) => o.type === 'marking-definition')).toEqual([]);
    }
  }, 120_000);

  it('a consumer importing each page as its own bundle resolves every reference (OpenCTI-style)', async () => {
    const store = new Set<string>();
    const failed: string[] = [];
    for (const p of await walk<Stix>('objects', 5)) {
      const inPage = new Set(p.objects.map((o) => o.id));
      for (const o of p.objects) {
        const refs = [o.created_by_ref, ...(o.object_refs ?? []), ...(o.object_marking_refs ?? [])].filter(
          (r): r is string => Boolean(r),
        );
        const missing = refs.filter((r) => !store.has(r) && !inPage.has(r) && !TLP_MARKINGS.has(r));
        if (missing.length) failed.push(`${o.id}: ${missing.join(', ')}`);
      }
      for (const o of p.objects) store.add(o.id);
    }
    expect(failed).toEqual([]);
    expect(store.size).toBe(new Set(manifest.map((m) => m.id)).size);
  }, 120_000);

  it('added_after is strict: resuming from each page’s X-TAXII-Date-Added-Last gives exactly the rest', async () => {
    const seen: ManifestEntry[] = [];
    let after: string | null = null;
    for (;;) {
      const p: Page<ManifestEntry> = await page<ManifestEntry>(
        'manifest',
        { limit: '37', ...(after ? { added_after: after } : {}) },
        `Bearer ${reader.token}`,
      );
      if (!p.objects.length) break;
      seen.push(...p.objects);
      after = p.last;
    }
    expect(seen).toEqual(manifest);
    // A time inside a version: only the objects after it, the first of them the very next one.
    const middle = manifest[500];
    const rest = await page<ManifestEntry>(
      'manifest',
      { limit: '3', added_after: middle.date_added },
      `Bearer ${reader.token}`,
    );
    expect(rest.objects).toEqual(manifest.slice(501, 504));
    // Truncated to the millisecond (as some clients store it): repeats, never skips.
    const truncated = `${middle.date_added.slice(0, 23)}Z`;
    const again = await page<ManifestEntry>(
      'manifest',
      { limit: '1000', added_after: truncated },
      `Bearer ${reader.token}`,
    );
    expect(again.objects.map((o) => o.id)).toEqual(expect.arrayContaining(manifest.slice(501, 600).map((o) => o.id)));
    expect(again.objects.every((o) => o.date_added > truncated.replace('Z', '000000Z'))).toBe(true);
  }, 120_000);

  it('401 names how to authenticate; 406 for another TAXII version; HTTP Basic carries a key', async () => {
    const key = (
      await t.gql(
        `mutation($i: MachineClientInput!) { createMachineClient(input: $i) { key } }`,
        { i: { name: 'Basic reader', maxTlp: 'AMBER' } },
        readerAdmin.token,
      )
    ).data.createMachineClient.key as string;
    const anonymous = await fetch(`${t.baseUrl}${collection}objects/`, { headers: { accept: TAXII } });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toMatch(/^Bearer realm="[^"]+", Basic realm=/);
    expect(anonymous.headers.get('content-type')).toBe(TAXII);
    const wrong = await get(`${collection}objects/`, `Bearer hwk_${'0'.repeat(32)}_${'A'.repeat(43)}`);
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toContain('Bearer');
    const old = await get(`${collection}objects/`, `Bearer ${key}`, 'application/taxii+json;version=1.0');
    expect(old.status).toBe(406);
    const basic = `Basic ${Buffer.from(`taxii-client:${key}`).toString('base64')}`;
    const viaBasic = await get(`${collection}objects/?limit=1`, basic);
    expect(viaBasic.status).toBe(200);
    expect(((await viaBasic.json()) as { objects: unknown[] }).objects).toHaveLength(1);
  });
});

describe('TAXII export allowance', () => {
  let t: TestApp;
  let key: string;
  let objects: string;

  beforeAll(async () => {
    t = await startTestApp({ EXPORT_OBJECTS_PER_MINUTE: String(WORK_ALLOWANCE) });
    const terminal = await makeOrganisation(t, OrganisationType.TERMINAL_OPERATOR, ['NLRTM']);
    const police = await makeOrganisation(t, OrganisationType.POLICE, ['NLRTM']);
    const author = await member(t, terminal, MemberRole.ANALYST);
    const admin = await member(t, police, MemberRole.ORG_ADMIN);
    // Two versions of 200 indicators: 403 objects with the author's identity, 405 units of work a walk.
    for (let i = 0; i < 2; i++)
      await publishBulletin(t, author.token, {
        tlp: 'GREEN',
        indicators: Array.from({ length: 200 }, () => ({
          type: 'CONTAINER_NUMBER',
          value: uniqueContainerNumber('PACU'),
        })),
      });
    key = (
      await t.gql(
        `mutation($i: MachineClientInput!) { createMachineClient(input: $i) { key } }`,
        { i: { name: 'Walker', maxTlp: 'AMBER' } },
        admin.token,
      )
    ).data.createMachineClient.key as string;
    const { collections } = (await (
      await fetch(`${t.baseUrl}/taxii2/api/collections/`, {
        headers: { authorization: `Bearer ${key}`, accept: TAXII },
      })
    ).json()) as { collections: { id: string; title: string }[] };
    objects = `${t.baseUrl}/taxii2/api/collections/${collections.find((c) => c.title === 'Bulletins visible to you')!.id}/objects/?limit=1000`;
  });
  afterAll(() => t.close());

  it('a key walks the whole collection at the largest page, and is told when to come back once its work is spent', async () => {
    const pull = () => fetch(objects, { headers: { authorization: `Bearer ${key}`, accept: TAXII } });
    await windowWithRoom(60_000, 30_000);
    for (let walk = 0; walk < 2; walk++) {
      const res = await pull();
      expect(res.status).toBe(200);
      expect(((await res.json()) as { objects: unknown[] }).objects).toHaveLength(403);
    }
    // The third is served (the work is charged after it), then the key is refused, before any work, with Retry-After.
    expect((await pull()).status).toBe(200);
    const refused = await pull();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(refused.headers.get('content-type')).toBe(TAXII);
  }, 120_000);
});
