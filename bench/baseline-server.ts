/**
 * The floor the GraphQL paths are measured against: node's http and pg, hand-written SQL with the
 * visibility rules of ARCHITECTURE.md §2 inlined, no framework, no authentication, no audit, and no
 * row-level security (it connects as the owner role). Three answers, as the GraphQL queries give them:
 * `/` the first page of the feed, `/bulletin?id=` one bulletin with its indicators, `/search?key=` the
 * bulletins mentioning a normalised indicator value.
 * Env: DATABASE_URL, PORT, VIEWER_ORG, VIEWER_USER.
 */
import { createServer, ServerResponse } from 'node:http';
import { Pool } from 'pg';

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 20 });
const org = process.env.VIEWER_ORG!;
const user = process.env.VIEWER_USER!;

const VISIBLE = `
      ((b.organisation_id = $1 AND b.tlp <> 'RED')
      OR b.author_user_id = $2
      OR (b.status IN ('PUBLISHED', 'RETRACTED') AND (
            b.tlp IN ('CLEAR', 'GREEN')
         OR (b.tlp IN ('AMBER', 'AMBER_STRICT') AND $1 = ANY(b.recipient_organisation_ids))
         OR (b.tlp = 'RED' AND $2 = ANY(b.recipient_user_ids))
         OR (b.tlp = 'AMBER' AND EXISTS (
              SELECT 1 FROM sharing_rules r, organisations v
               WHERE v.id = $1 AND r.subject = 'BULLETIN' AND r.max_tlp = 'AMBER'
                 AND (r.organisation_id IS NULL OR r.organisation_id = b.organisation_id)
                 AND (cardinality(r.categories) = 0 OR b.category = ANY(r.categories))
                 AND (r.valid_until IS NULL OR r.valid_until > now())
                 AND (cardinality(r.audience_organisation_ids) = 0 OR v.id = ANY(r.audience_organisation_ids))
                 AND (cardinality(r.audience_organisation_types) = 0 OR v.type = ANY(r.audience_organisation_types))
                 AND (cardinality(r.audience_ports) = 0 OR v.ports && r.audience_ports))))))`;

const PAGE = `
  SELECT b.id, b.title, b.severity, b.tlp, b.category, b.published_at, b.listed_at, o.name AS author
    FROM bulletins b JOIN organisations o ON o.id = b.organisation_id
   WHERE ${VISIBLE}
   ORDER BY b.listed_at DESC, b.id DESC
   LIMIT 51`;

const ONE = `
  SELECT b.id, b.title, b.summary, b.body, b.severity, b.tlp, b.category, b.status, b.published_at, o.name AS author,
         (SELECT json_agg(json_build_object('type', i.type, 'value', i.value) ORDER BY i.id)
            FROM bulletin_indicators i WHERE i.bulletin_id = b.id) AS indicators
    FROM bulletins b JOIN organisations o ON o.id = b.organisation_id
   WHERE b.id = $3 AND ${VISIBLE}`;

const SEARCH = `
  SELECT b.id, b.title, b.tlp, i.type, i.value
    FROM bulletins b JOIN bulletin_indicators i ON i.bulletin_id = b.id AND i.search_key = $3
   WHERE ${VISIBLE}
   ORDER BY b.listed_at DESC, b.id DESC
   LIMIT 200`;

async function page(): Promise<unknown> {
  const { rows } = await pool.query(PAGE, [org, user]);
  return {
    edges: rows.slice(0, 50).map((r) => ({
      node: r,
      cursor: Buffer.from(JSON.stringify([r.listed_at, r.id])).toString('base64url'),
    })),
    pageInfo: { hasNextPage: rows.length > 50 },
  };
}

/** The baseline's whole work per request: one query, the answer as JSON. */
async function answer(url: URL, res: ServerResponse): Promise<void> {
  try {
    const body =
      url.pathname === '/bulletin'
        ? ((await pool.query(ONE, [org, user, url.searchParams.get('id')])).rows[0] ?? null)
        : url.pathname === '/search'
          ? (await pool.query(SEARCH, [org, user, url.searchParams.get('key')])).rows
          : await page();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  } catch (err) {
    res.writeHead(500);
    res.end(String(err));
  }
}

createServer((req, res) => void answer(new URL(req.url ?? '/', 'http://baseline'), res)).listen(
  Number(process.env.PORT),
  '127.0.0.1',
  () => process.send?.('ready'),
);
