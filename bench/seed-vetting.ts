import { createHash, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { subjectPseudonym } from '../src/vetting/subject-pseudonym';

export const VETTING_BENCH = {
  records: 200_000,
  /** One record in this many is adverse (REFUSED, REVOKED or SUSPENDED). */
  adverseEvery: 20,
  /** Fixed, so the seeded pseudonyms stay valid across runs. */
  pseudonymKey: createHash('sha256').update('harbourwatch-bench-pseudonyms').digest(),
  batch: 20_000,
};

export const benchSubject = (i: number) => ({
  documentNumber: `BN${String(i).padStart(8, '0')}`,
  issuingCountry: 'NL',
});

/**
 * 200,000 vetting records spread over the benchmark's vetting authorities, 5% of them adverse, keyed
 * by real pseudonyms (VETTING_BENCH.pseudonymKey) so the app's cross-match finds them. The sealed
 * identity columns hold a placeholder: a cross-match never opens them. Skipped when already there.
 */
export async function seedVetting(url: string): Promise<void> {
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    const [{ n }] = (await db.query(`SELECT count(*)::int AS n FROM vetting_records WHERE identity = 'bench'`)).rows;
    if (n >= VETTING_BENCH.records) return;
    const authorities: string[] = (
      await db.query(
        `SELECT id FROM organisations WHERE name LIKE 'Bench org %' AND type IN ('PORT_AUTHORITY', 'POLICE', 'CUSTOMS') ORDER BY name`,
      )
    ).rows.map((r) => r.id);
    const employers: string[] = (
      await db.query(
        `SELECT id FROM organisations WHERE name LIKE 'Bench org %' AND type IN ('TERMINAL_OPERATOR', 'LOGISTICS_PROVIDER') ORDER BY name`,
      )
    ).rows.map((r) => r.id);
    await db.query('BEGIN');
    await db.query(`DELETE FROM vetting_records WHERE identity = 'bench'`);
    const statuses = ['REFUSED', 'REVOKED', 'SUSPENDED'];
    for (let start = 0; start < VETTING_BENCH.records; start += VETTING_BENCH.batch) {
      const ids: string[] = [],
        orgs: string[] = [],
        emps: string[] = [],
        pseudonyms: Buffer[] = [],
        status: string[] = [];
      for (let i = start; i < Math.min(start + VETTING_BENCH.batch, VETTING_BENCH.records); i++) {
        ids.push(randomUUID());
        orgs.push(authorities[i % authorities.length]);
        emps.push(employers[i % employers.length]);
        pseudonyms.push(subjectPseudonym(VETTING_BENCH.pseudonymKey, benchSubject(i)));
        status.push(i % VETTING_BENCH.adverseEvery === 0 ? statuses[(i / VETTING_BENCH.adverseEvery) % 3] : 'CLEARED');
      }
      await db.query(
        `INSERT INTO vetting_records (id, organisation_id, employer_organisation_id, subject_pseudonym, identity_key, identity, level,
                                      status, reason_code, valid_from, valid_until)
         SELECT id, org, emp, p, 'bench', 'bench', 'BASIC', s, CASE WHEN s = 'CLEARED' THEN NULL ELSE 'OTHER' END,
                now() - interval '1 day', now() + interval '1 year'
           FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::bytea[], $5::text[]) AS t(id, org, emp, p, s)`,
        [ids, orgs, emps, pseudonyms, status],
      );
    }
    await db.query('COMMIT');
    await db.query('ANALYZE vetting_records');
    console.log(`Seeded ${VETTING_BENCH.records.toLocaleString()} vetting records`);
  } finally {
    await db.end();
  }
}
