import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { isDeepStrictEqual } from 'node:util';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DatabaseService } from '../database/database.service';
import { OutboxService } from '../outbox/outbox.service';
import { QUEUE } from '../outbox/outbox-queues';
import {
  ChainHead,
  CheckpointRow,
  CheckpointStatement,
  GENESIS_HASH,
  keyId,
  merkleRoot,
  signingKey,
  signStatement,
  statementHash,
  statementOf,
} from './audit-chain';

/**
 * Every AUDIT_CHECKPOINT_MINUTES, a checkpoint records every chain's head with a Merkle root over them,
 * links to the previous checkpoint and is signed with AUDIT_SIGNING_KEY: whoever rewrites or truncates a
 * chain afterwards must forge the signature too. Nothing moved, nothing written.
 */
@Injectable()
export class AuditCheckpointsService implements OnApplicationBootstrap {
  private readonly key;

  constructor(
    private readonly db: DatabaseService,
    private readonly outbox: OutboxService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.key = signingKey(config.auditSigningKey);
  }

  onApplicationBootstrap(): Promise<void> {
    return this.outbox.runEvery(QUEUE.auditCheckpoint, this.config.AUDIT_CHECKPOINT_MINUTES, () => this.checkpoint());
  }

  /** Writes a checkpoint if any chain moved since the last one; two at once: the second fails on the id. */
  checkpoint(): Promise<CheckpointRow | null> {
    return this.db.autonomous(async (em) => {
      const heads = (await em.query<ChainHead[]>(`SELECT chain, seq, hash FROM audit_chain_heads()`)).map((h) => ({
        chain: h.chain,
        seq: Number(h.seq),
        hash: h.hash,
      }));
      const [last] = await em.query<CheckpointRow[]>(`SELECT * FROM audit_last_checkpoint()`);
      if (last ? isDeepStrictEqual(last.heads, heads) : !heads.length) return null;
      const statement: CheckpointStatement = {
        id: last ? Number(last.id) + 1 : 1,
        at: new Date().toISOString(),
        chains: heads.length,
        root: merkleRoot(heads),
        previous: last ? statementHash(statementOf(last)) : GENESIS_HASH,
      };
      const row: CheckpointRow = {
        id: String(statement.id),
        at: new Date(statement.at),
        heads,
        root: statement.root,
        previous: statement.previous,
        key_id: keyId(this.key),
        signature: signStatement(statement, this.key),
      };
      // No RETURNING: only platform administrators read checkpoints back.
      await em.query(
        `INSERT INTO audit_checkpoints (id, at, heads, root, previous, key_id, signature)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [row.id, row.at, JSON.stringify(heads), row.root, row.previous, row.key_id, row.signature],
      );
      return row;
    });
  }
}
