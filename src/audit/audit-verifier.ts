import { DataSource, EntityManager } from 'typeorm';
import { chainHash, GENESIS_HASH } from './audit-chain';

export type VerifyResult =
  | { ok: true; count: number; milliseconds: number }
  | { ok: false; count: number; milliseconds: number; seq: number; reason: string };

interface Row {
  seq: string;
  at: Date;
  actor_user_id: string | null;
  actor_organisation_id: string | null;
  subject_organisation_id: string | null;
  action: string;
  object_type: string;
  object_id: string | null;
  details: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

const BATCH = 5000;

/**
 * Walks the whole chain in order and reports the first link that does not hold. `db` must see every
 * event: the owner's connection (the CLI) or a platform administrator's request.
 */
export async function verifyAuditChain(db: DataSource | EntityManager): Promise<VerifyResult> {
  const started = Date.now();
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  for (;;) {
    const rows: Row[] = await db.query(`SELECT * FROM audit_events WHERE seq >= $1 ORDER BY seq LIMIT $2`, [
      expectedSeq,
      BATCH,
    ]);
    for (const row of rows) {
      const seq = Number(row.seq);
      const fail = (reason: string): VerifyResult => ({
        ok: false,
        count: expectedSeq - 1,
        milliseconds: Date.now() - started,
        seq,
        reason,
      });
      if (seq !== expectedSeq) return fail(`event ${expectedSeq} is missing`);
      if (row.prev_hash !== prevHash) return fail('prev_hash does not match the previous event');
      const hash = chainHash(prevHash, {
        seq,
        at: row.at.toISOString(),
        actorUserId: row.actor_user_id,
        actorOrganisationId: row.actor_organisation_id,
        subjectOrganisationId: row.subject_organisation_id,
        action: row.action,
        objectType: row.object_type,
        objectId: row.object_id,
        details: row.details,
      });
      if (hash !== row.hash) return fail('content does not match its hash');
      prevHash = row.hash;
      expectedSeq++;
    }
    if (rows.length < BATCH) return { ok: true, count: expectedSeq - 1, milliseconds: Date.now() - started };
  }
}
