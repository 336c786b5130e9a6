import { KeyObject } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import {
  AuditContent,
  CheckpointRow,
  contentHash,
  GENESIS_HASH,
  keyId,
  LEGACY_CHAIN,
  legacyHash,
  linkHash,
  merkleRoot,
  statementHash,
  statementOf,
  statementSigned,
} from './audit-chain';

interface Tally {
  count: number;
  chains: number;
  checkpoints: number;
  /** Events pruned after their retention, by chain, and when last. */
  prunes: PrunedChain[];
  milliseconds: number;
}

export interface PrunedChain {
  chain: string;
  /** The chain's events up to this one are gone; verification starts after it. */
  throughSeq: number;
  events: number;
  lastPrunedAt: Date;
}

/** When events were last pruned from any chain. */
export const lastPrune = (prunes: PrunedChain[]): Date | null =>
  prunes.reduce<Date | null>((last, p) => (last && last > p.lastPrunedAt ? last : p.lastPrunedAt), null);

/** A chain's latest prune, and all its prunes' events. */
interface PruneRow {
  chain: string;
  through_seq: string;
  through_hash: string;
  checkpoint_id: string;
  retention_days: number;
  pruned_at: Date;
  events: string;
}

export type VerifyResult =
  ({ ok: true } & Tally) | ({ ok: false; seq: number | null; checkpoint: number | null; reason: string } & Tally);

interface Row {
  seq: string;
  chain: string;
  chain_seq: string;
  at: Date;
  actor_user_id: string | null;
  actor_organisation_id: string | null;
  subject_organisation_id: string | null;
  action: string;
  object_type: string;
  object_id: string | null;
  details: Record<string, unknown>;
  content_hash: string | null;
  prev_hash: string;
  hash: string;
}

const BATCH = 5000;

/**
 * Walks every chain in order, then every checkpoint, and reports the first thing that does not hold: a
 * changed event (its content no longer matches its hash), a removed one (a gap in its chain), a
 * reordered pair (a link that does not match), a checkpoint not signed by `key`, out of line with the
 * one before it, or naming a head that is no longer there (events removed or rewritten after it). A
 * chain pruned after its retention (migration AuditPruning) is walked from its last prune on.
 * `db` must see every event: the owner's connection (the CLI) or a platform administrator's request.
 */
export async function verifyAuditTrail(
  db: DataSource | EntityManager,
  keys: KeyObject | readonly KeyObject[],
): Promise<VerifyResult> {
  const started = Date.now();
  const tally: Tally = { count: 0, chains: 0, checkpoints: 0, prunes: [], milliseconds: 0 };
  const done = (): Tally => ({ ...tally, milliseconds: Date.now() - started });
  const broken = (reason: string, at: { seq?: string; checkpoint?: string }): VerifyResult => ({
    ok: false,
    ...done(),
    seq: at.seq ? Number(at.seq) : null,
    checkpoint: at.checkpoint ? Number(at.checkpoint) : null,
    reason,
  });

  // A pruned chain starts after its last prune, from the hash of the last event pruned: the links from
  // there to the heads checkpoints signed prove that hash, and the events after it.
  const prunes = new Map(
    (
      await db.query<PruneRow[]>(
        `SELECT DISTINCT ON (chain) chain, through_seq, through_hash, checkpoint_id, retention_days, pruned_at,
                sum(events) OVER (PARTITION BY chain) AS events
           FROM audit_prunes ORDER BY chain, through_seq DESC`,
      )
    ).map((p) => [p.chain, p]),
  );
  tally.prunes = [...prunes.values()].map((p) => ({
    chain: p.chain,
    throughSeq: Number(p.through_seq),
    events: Number(p.events),
    lastPrunedAt: p.pruned_at,
  }));
  const walked = new Set<string>();

  let chain: string | null = null;
  let expected = 1;
  let prevHash = GENESIS_HASH;
  for (let after: [string, number] = ['', 0]; ;) {
    const rows: Row[] = await db.query(
      `SELECT * FROM audit_events WHERE (chain, chain_seq) > ($1, $2) ORDER BY chain, chain_seq LIMIT $3`,
      [...after, BATCH],
    );
    for (const row of rows) {
      if (row.chain !== chain) {
        const pruned = prunes.get(row.chain);
        [chain, expected, prevHash] = pruned
          ? [row.chain, Number(pruned.through_seq) + 1, pruned.through_hash]
          : [row.chain, 1, GENESIS_HASH];
        walked.add(row.chain);
        tally.chains++;
      }
      const where = { seq: row.seq };
      if (Number(row.chain_seq) !== expected) return broken(`event ${expected} of chain ${chain} is missing`, where);
      if (row.prev_hash !== prevHash) return broken('its link does not match the previous event of its chain', where);
      const content: AuditContent = {
        at: row.at.toISOString(),
        actorUserId: row.actor_user_id,
        actorOrganisationId: row.actor_organisation_id,
        subjectOrganisationId: row.subject_organisation_id,
        action: row.action,
        objectType: row.object_type,
        objectId: row.object_id,
        details: row.details,
      };
      const hash =
        chain === LEGACY_CHAIN
          ? legacyHash(prevHash, Number(row.seq), content)
          : row.content_hash === contentHash(chain, expected, content) && linkHash(prevHash, row.content_hash);
      if (hash !== row.hash) return broken('its content does not match its hash', where);
      prevHash = row.hash;
      expected++;
      tally.count++;
    }
    if (rows.length < BATCH) break;
    const last = rows[rows.length - 1];
    after = [last.chain, Number(last.chain_seq)];
  }

  // The current key first, then those rotations replaced: along the line of checkpoints a key may give
  // way to a newer one, never come back (a replaced key, perhaps leaked, signs nothing after its successor).
  const ranked = new Map((Array.isArray(keys) ? keys : [keys]).map((key, rank) => [keyId(key), { key, rank }]));
  let newest = Infinity;
  let previous = GENESIS_HASH;
  for (let after = 0; ;) {
    const rows: CheckpointRow[] = await db.query(`SELECT * FROM audit_checkpoints WHERE id > $1 ORDER BY id LIMIT $2`, [
      after,
      BATCH,
    ]);
    for (const row of rows) {
      const where = { checkpoint: row.id };
      const statement = statementOf(row);
      const signer = ranked.get(row.key_id);
      if (!signer || !statementSigned(statement, row.signature, signer.key))
        return broken('checkpoint not signed by the audit signing key', where);
      if (signer.rank > newest) return broken('checkpoint signed by a key a newer one had replaced', where);
      newest = signer.rank;
      if (row.previous !== previous) return broken('checkpoint out of line with the one before it', where);
      if (merkleRoot(row.heads) !== row.root) return broken("checkpoint's root does not match its heads", where);
      previous = statementHash(statement);
      tally.checkpoints++;
    }
    if (rows.length < BATCH) break;
    after = Number(rows[rows.length - 1].id);
  }
  // A prune keeps the head it pruned up to, and takes only what a checkpoint older than the retention
  // then in force had sealed: no chain pruned away, no recent event pruned under the name of retention.
  for (const p of prunes.values()) {
    if (!walked.has(p.chain)) return broken(`chain ${p.chain} is gone after its prune`, {});
    const [sealed]: { ok: boolean }[] = await db.query(
      `SELECT c.at <= $4::timestamptz - make_interval(days => $5) AS ok FROM audit_checkpoints c
        WHERE c.id = $1 AND EXISTS (SELECT 1 FROM jsonb_to_recordset(c.heads) AS h(chain text, seq bigint)
                                     WHERE h.chain = $2 AND h.seq > $3)`,
      [p.checkpoint_id, p.chain, p.through_seq, p.pruned_at, p.retention_days],
    );
    if (!sealed?.ok)
      return broken(`events of chain ${p.chain} were pruned before their retention ended`, {
        checkpoint: p.checkpoint_id,
      });
  }
  // Every head a checkpoint sealed is still there, unchanged (the walk above proved what leads to it),
  // except those a prune took.
  const [gone]: { id: string; chain: string; seq: string }[] = await db.query(
    `SELECT c.id, h.chain, h.seq FROM audit_checkpoints c
       CROSS JOIN LATERAL jsonb_to_recordset(c.heads) AS h(chain text, seq bigint, hash text)
       LEFT JOIN audit_events e ON e.chain = h.chain AND e.chain_seq = h.seq
      WHERE e.hash IS DISTINCT FROM h.hash
        AND h.seq > coalesce((SELECT max(p.through_seq) FROM audit_prunes p WHERE p.chain = h.chain), 0)
      ORDER BY c.id LIMIT 1`,
  );
  if (gone)
    return broken(`event ${gone.seq} of chain ${gone.chain}, sealed by this checkpoint, is gone or changed`, {
      checkpoint: gone.id,
    });
  return { ok: true, ...done() };
}
