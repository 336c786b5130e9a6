import { Client } from 'pg';

/** An address spread over many bulletins (a value an exclusion would be for): 20,000 of them hold it. */
export const HOT_ADDRESS = '198.51.100.200';
const HOT_BULLETINS = 20_000;
const PUBLISHES = 20;

const CREATE = `mutation Create($input: BulletinInput!) { createBulletin(input: $input) { id } }`;
const PUBLISH = `mutation Publish($id: ID!) { publishBulletin(id: $id) { id } }`;
const RELATED = `query Related($id: ID!) { bulletin(id: $id) { id related { bulletin { id } shared { value } } } }`;

/** HOT_ADDRESS in HOT_BULLETINS bulletins spread over the data set (once, kept between runs). */
export async function seedHotAddress(ownerUrl: string, bulletins: number): Promise<void> {
  const db = new Client({ connectionString: ownerUrl });
  await db.connect();
  try {
    await db.query(
      `INSERT INTO bulletin_indicators (bulletin_id, organisation_id, type, value, search_key)
       SELECT b.id, b.organisation_id, 'IP_ADDRESS', $1, $1 FROM bulletins b
        WHERE b.title IN (SELECT format('Bench alert %s', g) FROM generate_series($2::int, $3::int, $2::int) g)
          AND NOT EXISTS (SELECT 1 FROM bulletin_indicators i WHERE i.bulletin_id = b.id AND i.search_key = $1)`,
      [HOT_ADDRESS, Math.max(1, Math.floor(bulletins / HOT_BULLETINS)), bulletins],
    );
  } finally {
    await db.end();
  }
}

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))];
const summary = (values: number[]) =>
  `p50 ${percentile(values, 50).toFixed(0)} ms, p95 ${percentile(values, 95).toFixed(0)} ms, max ${Math.max(...values).toFixed(0)} ms`;

/**
 * Correlation at the data set's scale, as an analyst publishes: PUBLISHES bulletins each holding the
 * flagged container (in 50 bulletins) and HOT_ADDRESS (in 20,000), published one after the other. The
 * publisher's request (publishBulletin) is timed; the correlation job each one starts (queue
 * `correlation`: who to ask, then each author as themselves) is timed from the outbox's own record;
 * "Related" on each new bulletin is timed as the viewer reads it.
 */
export async function correlationPaths(
  gql: (query: string, variables: Record<string, unknown>) => Promise<{ data?: any; errors?: unknown }>,
  ownerUrl: string,
  flagged: string,
): Promise<void> {
  const publishMs: number[] = [];
  const ids: string[] = [];
  for (let i = 0; i < PUBLISHES; i++) {
    const created = await gql(CREATE, {
      input: {
        title: `Bench correlation ${i}`,
        summary: 'A container and an address seen before',
        body: 'Correlation benchmark',
        category: 'CYBER_INTRUSION',
        severity: 'MODERATE',
        urgency: 'EXPECTED',
        certainty: 'LIKELY',
        tlp: 'GREEN',
        ports: ['NLRTM'],
        indicators: [
          { type: 'CONTAINER_NUMBER', value: flagged },
          { type: 'IP_ADDRESS', value: HOT_ADDRESS },
        ],
      },
    });
    if (!created.data) throw new Error(`createBulletin: ${JSON.stringify(created.errors)}`);
    const id = created.data.createBulletin.id as string;
    const started = performance.now();
    const published = await gql(PUBLISH, { id });
    publishMs.push(performance.now() - started);
    if (!published.data) throw new Error(`publishBulletin: ${JSON.stringify(published.errors)}`);
    ids.push(id);
  }
  const db = new Client({ connectionString: ownerUrl });
  await db.connect();
  let jobs: { run_ms: number; wait_ms: number }[] = [];
  try {
    for (let waited = 0; waited < 600; waited++) {
      const { rows } = await db.query(
        `SELECT extract(epoch FROM completed_on - started_on) * 1000 AS run_ms,
                extract(epoch FROM started_on - created_on) * 1000 AS wait_ms
           FROM pgboss.job WHERE name = 'correlation' AND state = 'completed' AND split_part(singleton_key, ':', 1) = ANY($1)`,
        [ids],
      );
      jobs = rows.map((r) => ({ run_ms: Number(r.run_ms), wait_ms: Number(r.wait_ms) }));
      if (jobs.length === ids.length) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
  } finally {
    await db.end();
  }
  const relatedMs: number[] = [];
  let related = 0;
  for (const id of ids) {
    const started = performance.now();
    const answer = await gql(RELATED, { id });
    relatedMs.push(performance.now() - started);
    if (!answer.data) throw new Error(`related: ${JSON.stringify(answer.errors)}`);
    related = answer.data.bulletin.related.length;
  }
  console.log(
    `\nCorrelation on publish (${PUBLISHES} bulletins, each with a container in 50 bulletins and an address in ` +
      `${HOT_BULLETINS.toLocaleString()}):` +
      `\n  the publisher's request (publishBulletin): ${summary(publishMs)} (target < 100 ms) ${percentile(publishMs, 95) < 100 ? 'met' : 'MISSED'}` +
      `\n  the correlation job after it (${jobs.length} of ${ids.length} completed): ${jobs.length ? summary(jobs.map((j) => j.run_ms)) : '—'}` +
      `, waited in the queue ${jobs.length ? summary(jobs.map((j) => j.wait_ms)) : '—'}` +
      `\n  "Related" on a new bulletin as the viewer reads it (${related} related): ${summary(relatedMs)}`,
  );
}
