import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { currentState } from '../database/request-context';
import { DatabaseService } from '../database/database.service';
import { chainHash, ChainedEvent, GENESIS_HASH } from './audit-chain';

export interface AuditEntry {
  action: string;
  objectType: string;
  objectId?: string | null;
  /** The organisation whose object this is, when not the actor's (it sees the event too). */
  subjectOrganisationId?: string | null;
  details?: Record<string, unknown>;
  /** Who acted, when the request has no authenticated actor (login, invitations). */
  actor?: { userId: string | null; organisationId: string | null };
}

/** Any advisory-lock key works as long as every writer uses the same one. */
const CHAIN_LOCK = 0x4857_4155; // 'HWAU'

/**
 * Appends to the hash-chained audit trail inside the caller's transaction: no event without its
 * action, no action without its event. Appends are serialised by a transaction-level advisory lock,
 * so every event extends the latest one and the chain cannot fork.
 */
@Injectable()
export class AuditService {
  constructor(private readonly db: DatabaseService) {}

  async record(entry: AuditEntry, em?: EntityManager): Promise<void> {
    const manager = em ?? (await this.db.em());
    const actor = entry.actor ?? {
      userId: currentState()?.actor?.userId ?? null,
      organisationId: currentState()?.actor?.organisationId ?? null,
    };
    await manager.query(`SELECT pg_advisory_xact_lock($1)`, [CHAIN_LOCK]);
    // The head of the whole chain, whatever row-level security lets this organisation read.
    const [head] = await manager.query(`SELECT seq, hash FROM audit_chain_head()`);
    const last = head?.seq ? head : undefined;
    const event: ChainedEvent = {
      seq: last ? Number(last.seq) + 1 : 1,
      at: new Date().toISOString(),
      actorUserId: actor.userId,
      actorOrganisationId: actor.organisationId,
      subjectOrganisationId: entry.subjectOrganisationId ?? null,
      action: entry.action,
      objectType: entry.objectType,
      objectId: entry.objectId ?? null,
      details: entry.details ?? {},
    };
    const prevHash = last?.hash ?? GENESIS_HASH;
    await manager.query(
      `INSERT INTO audit_events (seq, at, actor_user_id, actor_organisation_id, subject_organisation_id, action,
                                 object_type, object_id, details, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        event.seq,
        event.at,
        event.actorUserId,
        event.actorOrganisationId,
        event.subjectOrganisationId,
        event.action,
        event.objectType,
        event.objectId,
        event.details,
        prevHash,
        chainHash(prevHash, event),
      ],
    );
  }
}
