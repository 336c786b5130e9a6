import { SingleBar } from 'cli-progress';
import { Client } from 'pg';
import { PasswordService } from '../src/auth/password.service';

/** The data set; BENCH_BULLETINS, BENCH_ORGANISATIONS and BENCH_RULES change its scale (each scale its own database). */
export const BENCH = {
  organisations: Number(process.env.BENCH_ORGANISATIONS ?? 1000),
  ports: [
    'NLRTM',
    'BEANR',
    'DEHAM',
    'ESALG',
    'FRLEH',
    'ITGOA',
    'ESVLC',
    'GRPIR',
    'PLGDN',
    'SEGOT',
    'DKAAR',
    'FIHEL',
    'PTSIN',
    'IEDUB',
    'GBFXT',
    'NLAMS',
    'BEZEE',
    'DEBRV',
    'FRMRS',
    'ITGIT',
  ],
  rules: Number(process.env.BENCH_RULES ?? 300),
  bulletins: Number(process.env.BENCH_BULLETINS ?? 1_000_000),
  batch: 50_000,
  password: 'bench-password-123',
};

const TYPES = [
  'PORT_AUTHORITY',
  'TERMINAL_OPERATOR',
  'SHIPPING_COMPANY',
  'LOGISTICS_PROVIDER',
  'CUSTOMS',
  'POLICE',
  'EU_AGENCY',
  'OTHER',
];
const CATEGORIES = [
  'INSIDER_THREAT',
  'PIN_FRAUD',
  'CONTAINER_CLONING',
  'EXTRACTION_TEAM',
  'CORRUPTION_ATTEMPT',
  'CYBER_INTRUSION',
  'SUSPICIOUS_CARGO',
  'OTHER',
];

const arr = (values: string[]) => `ARRAY[${values.map((v) => `'${v}'`).join(',')}]`;

/**
 * Seeds the benchmark data set in Postgres itself (generate_series), deterministically: 1,000
 * organisations over 20 ports with one analyst each, 300 sharing rules, 1,000,000 published
 * bulletins (by default; see BENCH) with mixed TLP (15% CLEAR, 35% GREEN, 30% AMBER, 15% AMBER_STRICT, 5% RED) and two
 * indicators each. Skipped when already there.
 */
export async function seedBulletins(url: string): Promise<void> {
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    const [{ n }] = (await db.query(`SELECT count(*)::int AS n FROM bulletins WHERE title LIKE 'Bench %'`)).rows;
    if (n >= BENCH.bulletins) {
      console.log(`Benchmark data already seeded (${n.toLocaleString()} bulletins)`);
      return;
    }
    const hash = await new PasswordService().hash(BENCH.password);
    const bar = new SingleBar({ format: 'seeding [{bar}] {percentage}% | {value}/{total} {stage}' });
    bar.start(BENCH.bulletins + BENCH.organisations + BENCH.rules, 0, { stage: 'organisations' });
    // One transaction: an interrupted seed leaves nothing half-done behind.
    await db.query('BEGIN');

    await db.query(
      `INSERT INTO organisations (name, type, sector, ports)
       SELECT format('Bench org %s', lpad(g::text, ${Math.max(4, String(BENCH.organisations).length)}, '0')), t, CASE WHEN t IN ('PORT_AUTHORITY','CUSTOMS','POLICE','EU_AGENCY') THEN 'PUBLIC' ELSE 'PRIVATE' END,
              ARRAY[(${arr(BENCH.ports)})[1 + g % 20], (${arr(BENCH.ports)})[1 + (g * 3 + 1) % 20]]
         FROM generate_series(1, $1) g, LATERAL (SELECT (${arr(TYPES)})[1 + g % 8] AS t) x`,
      [BENCH.organisations],
    );
    await db.query(
      `WITH o AS (SELECT id, name FROM organisations WHERE name LIKE 'Bench org %'),
            u AS (INSERT INTO users (email, display_name, password_hash)
                  SELECT format('analyst%s@bench.harbourwatch.eu', substr(o.name, 11)), o.name || ' analyst', $1 FROM o
                  RETURNING id, email)
       INSERT INTO memberships (organisation_id, user_id, role)
       SELECT o.id, u.id, 'ANALYST' FROM o JOIN u ON u.email = format('analyst%s@bench.harbourwatch.eu', substr(o.name, 11))`,
      [hash],
    );
    bar.increment(BENCH.organisations, { stage: 'sharing rules' });

    await db.query(
      `WITH o AS (SELECT array_agg(id ORDER BY name) AS ids FROM organisations WHERE name LIKE 'Bench org %'),
            a AS (SELECT array_agg(m.user_id ORDER BY org.name) AS ids FROM memberships m JOIN organisations org ON org.id = m.organisation_id
                  WHERE org.name LIKE 'Bench org %')
       INSERT INTO sharing_rules (organisation_id, subject, categories, audience_organisation_ids, audience_organisation_types,
                                  audience_ports, max_tlp, created_by)
       SELECT o.ids[1 + (g * 37) % $1], 'BULLETIN',
              CASE WHEN g % 2 = 0 THEN '{}'::text[] ELSE ARRAY[(${arr(CATEGORIES)})[1 + g % 8]] END,
              CASE WHEN g % 3 = 0 THEN ARRAY[o.ids[1 + (g * 11) % $1]] ELSE '{}'::uuid[] END,
              CASE WHEN g % 3 = 1 THEN ARRAY[(${arr(TYPES)})[1 + g % 8], 'POLICE'] ELSE '{}'::text[] END,
              CASE WHEN g % 3 = 2 THEN ARRAY[(${arr(BENCH.ports)})[1 + g % 20]] ELSE '{}'::text[] END,
              CASE WHEN g % 5 = 0 THEN 'GREEN' ELSE 'AMBER' END,
              a.ids[1 + (g * 37) % $1]
         FROM generate_series(1, $2) g, o, a`,
      [BENCH.organisations, BENCH.rules],
    );
    bar.increment(BENCH.rules, { stage: 'bulletins' });

    for (let start = 1; start <= BENCH.bulletins; start += BENCH.batch) {
      await db.query(
        `WITH o AS (SELECT array_agg(id ORDER BY name) AS ids FROM organisations WHERE name LIKE 'Bench org %'),
              a AS (SELECT array_agg(m.user_id ORDER BY org.name) AS ids FROM memberships m JOIN organisations org ON org.id = m.organisation_id
                    WHERE org.name LIKE 'Bench org %'),
              src AS (
                SELECT g, o.ids[1 + (g * 7919) % $3] AS org, a.ids[1 + (g * 7919) % $3] AS author,
                       CASE WHEN (g * 31) % 100 < 15 THEN 'CLEAR' WHEN (g * 31) % 100 < 50 THEN 'GREEN'
                            WHEN (g * 31) % 100 < 80 THEN 'AMBER' WHEN (g * 31) % 100 < 95 THEN 'AMBER_STRICT' ELSE 'RED' END AS tlp,
                       o.ids[1 + (g * 13) % $3] AS recipient_org, a.ids[1 + (g * 17) % $3] AS recipient_user
                  FROM generate_series($1::bigint, $2::bigint) g, o, a),
              ins AS (
                INSERT INTO bulletins (organisation_id, author_user_id, status, version, title, summary, body, category, severity,
                                       urgency, certainty, ports, tlp, recipient_organisation_ids, recipient_user_ids, listed_at, published_at)
                SELECT org, author, 'PUBLISHED', 1, format('Bench alert %s', g), format('Observed activity %s near the terminal gate', g),
                       'Details for the recipients.', (${arr(CATEGORIES)})[1 + g % 8], (ARRAY['MINOR','MODERATE','SEVERE','EXTREME'])[1 + g % 4],
                       'EXPECTED', 'LIKELY', ARRAY[(${arr(BENCH.ports)})[1 + g % 20]], tlp,
                       CASE WHEN tlp IN ('AMBER','AMBER_STRICT') THEN ARRAY[recipient_org] ELSE '{}'::uuid[] END,
                       CASE WHEN tlp = 'RED' THEN ARRAY[recipient_user] ELSE '{}'::uuid[] END,
                       date_trunc('milliseconds', now()) - make_interval(secs => ($4 - g) * 30),
                       date_trunc('milliseconds', now()) - make_interval(secs => ($4 - g) * 30)
                  FROM src
                RETURNING id, organisation_id)
         INSERT INTO bulletin_indicators (bulletin_id, organisation_id, type, value, search_key)
         SELECT ins.id, ins.organisation_id, v.type, v.value, v.value
           FROM ins, LATERAL (VALUES ('SEAL_NUMBER', upper(substr(md5(ins.id::text), 1, 10))),
                                     ('LICENCE_PLATE', upper(substr(md5(ins.id::text), 11, 8)))) AS v(type, value)`,
        [start, Math.min(start + BENCH.batch - 1, BENCH.bulletins), BENCH.organisations, BENCH.bulletins],
      );
      bar.increment(Math.min(BENCH.batch, BENCH.bulletins - start + 1));
    }
    await db.query('COMMIT');
    bar.stop();
    console.log('Analysing tables...');
    await db.query('ANALYZE');
  } finally {
    await db.end();
  }
}

/** The viewer of the benchmark: the analyst of the first police organisation operating in NLRTM. */
export async function policeAnalyst(url: string): Promise<{ email: string; userId: string; organisationId: string }> {
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    const { rows } = await db.query(
      `SELECT u.email, u.id AS user_id, o.id AS organisation_id FROM organisations o
         JOIN memberships m ON m.organisation_id = o.id JOIN users u ON u.id = m.user_id
        WHERE o.name LIKE 'Bench org %' AND o.type = 'POLICE' AND 'NLRTM' = ANY(o.ports) ORDER BY o.name LIMIT 1`,
    );
    return { email: rows[0].email, userId: rows[0].user_id, organisationId: rows[0].organisation_id };
  } finally {
    await db.end();
  }
}
