import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { load, LoadResult, Measured } from './load';

const TAXII = 'application/taxii+json;version=2.1';

/**
 * A kept version for every seeded bulletin (the seed publishes without them), with its indicators, as
 * publishing writes it; added to the feed in publication order. Once per data set.
 */
export async function seedVersions(ownerUrl: string): Promise<void> {
  const db = new Client({ connectionString: ownerUrl });
  await db.connect();
  try {
    const { rows } = await db.query(`SELECT EXISTS (SELECT 1 FROM bulletin_versions) AS seeded`);
    if (rows[0].seeded) return;
    console.log('Keeping a version of every bulletin for TAXII (once)...');
    await db.query(`
      INSERT INTO bulletin_versions (bulletin_id, organisation_id, version, content, published_by, published_at, tlp, category,
                                     recipient_organisation_ids, recipient_user_ids, added_at)
      SELECT b.id, b.organisation_id, 1,
             jsonb_build_object('title', b.title, 'summary', b.summary, 'body', b.body, 'category', b.category,
               'severity', b.severity, 'urgency', b.urgency, 'certainty', b.certainty, 'ports', b.ports, 'tlp', b.tlp,
               'sourceReliability', 'F', 'informationCredibility', '6', 'validUntil', null,
               'recipientOrganisationIds', b.recipient_organisation_ids, 'recipientUserIds', b.recipient_user_ids,
               'indicators', (SELECT coalesce(jsonb_agg(jsonb_build_object('type', i.type, 'value', i.value) ORDER BY i.id), '[]')
                                FROM bulletin_indicators i WHERE i.bulletin_id = b.id)),
             b.author_user_id, b.published_at, b.tlp, b.category, b.recipient_organisation_ids, b.recipient_user_ids, b.published_at
        FROM bulletins b WHERE b.status = 'PUBLISHED'`);
    await db.query('ANALYZE bulletin_versions');
  } finally {
    await db.end();
  }
}

/** A machine client of the viewer's organisation reading up to AMBER+STRICT, and its key. */
async function machineKey(ownerUrl: string, viewer: { userId: string; organisationId: string }): Promise<string> {
  const id = randomUUID();
  const secret = randomBytes(32).toString('base64url');
  const db = new Client({ connectionString: ownerUrl });
  await db.connect();
  try {
    await db.query(
      `INSERT INTO machine_clients (id, organisation_id, name, max_tlp, key_hash, key_hint, created_by, expires_at)
       VALUES ($1, $2, 'Bench TAXII client', 'AMBER_STRICT', $3, $4, $5, now() + interval '1 day')`,
      [id, viewer.organisationId, createHash('sha256').update(secret).digest(), secret.slice(-4), viewer.userId],
    );
  } finally {
    await db.end();
  }
  return `hwk_${id.replace(/-/g, '')}_${secret}`;
}

/**
 * TAXII 2.1 as a national system polls it with an API key: the first page (100 objects) of "Bulletins
 * visible to you" from the start of the feed, and a poll with `added_after` an hour ago.
 */
export async function taxiiPaths(
  baseUrl: string,
  ownerUrl: string,
  viewer: { userId: string; organisationId: string },
  seconds: number,
  connections: number,
  measured: Measured,
): Promise<LoadResult[]> {
  const headers = { authorization: `Bearer ${await machineKey(ownerUrl, viewer)}`, accept: TAXII };
  const { collections } = (await fetch(`${baseUrl}/taxii2/api/collections/`, { headers }).then((r) => r.json())) as {
    collections: { id: string; title: string }[];
  };
  const objects = `${baseUrl}/taxii2/api/collections/${collections.find((c) => c.title === 'Bulletins visible to you')!.id}/objects/`;
  const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
  const paths = [
    { name: 'TAXII objects, first page (limit 100)', url: `${objects}?limit=100` },
    { name: 'TAXII poll, added_after an hour ago', url: `${objects}?limit=100&added_after=${hourAgo}` },
  ];
  const results: LoadResult[] = [];
  for (const path of paths) {
    const page = (await fetch(path.url, { headers }).then((r) => r.json())) as { objects?: unknown[]; more?: boolean };
    console.log(`${path.name}: ${page.objects?.length ?? 0} objects, more: ${page.more}`);
    await load('warm-up', path.url, 3, connections, { headers });
    results.push(await load(path.name, path.url, seconds, connections, { headers }, measured));
  }
  return results;
}
