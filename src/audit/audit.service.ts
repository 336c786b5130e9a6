import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { currentState, RequestState } from '../common/request-context';
import { DatabaseService } from '../database/database.service';
import { AuditContent, chainOf, contentHash, GENESIS_HASH, linkHash } from './audit-chain';

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

const COLUMNS = 13;

type Pending = AuditEntry & { actor: { userId: string | null; organisationId: string | null } };

/**
 * Appends to the hash-chained audit trail inside the caller's transaction: no event without its
 * action, no action without its event. Each organisation's events form a chain of their own (the
 * platform's too); appends to one chain are serialised by a transaction-level lock of that chain, so
 * every event extends its chain's latest one and no chain can fork, while other organisations append
 * undisturbed. A request's events join their chain together just before it commits
 * (DatabaseService.beforeCommit): one lock, one head and one insert per chain, held for the commit only.
 */
@Injectable()
export class AuditService {
  private readonly logger = new Logger('Retention');
  private readonly queued = new WeakMap<RequestState, Pending[]>();

  constructor(private readonly db: DatabaseService) {}

  /**
   * What the platform did by itself (a scheduled purge), in the trail of the organisation it concerns
   * (the platform's for none), in a transaction of its own: no one acted.
   */
  recordForOrganisation(organisationId: string | null, entry: Pick<AuditEntry, 'action' | 'objectType' | 'details'>) {
    return this.db.autonomous((em) =>
      this.record(
        { ...entry, subjectOrganisationId: organisationId, actor: { userId: null, organisationId: null } },
        em,
      ),
    );
  }

  /**
   * What a retention job deleted: each organisation's counts (the columns beside `organisation_id`) go
   * to its trail as `action`'s details, and to the log.
   */
  async recordPurged<T extends { organisation_id: string | null }>(
    action: string,
    objectType: string,
    purged: T[],
  ): Promise<T[]> {
    for (const { organisation_id, ...counts } of purged) {
      const what = Object.entries(counts).map(([name, n]) => `${String(n)} ${name}`);
      this.logger.log(
        `purged ${what.join(', ')} of ${organisation_id ? `organisation ${organisation_id}` : 'the platform'}`,
      );
      await this.recordForOrganisation(organisation_id, { action, objectType, details: counts });
    }
    return purged;
  }

  async record(entry: AuditEntry, em?: EntityManager): Promise<void> {
    const state = currentState();
    const pending: Pending = {
      ...entry,
      actor: entry.actor ?? {
        userId: state?.actor?.userId ?? null,
        organisationId: state?.actor?.organisationId ?? null,
      },
    };
    if (em) return this.append(em, [pending]);
    if (!state) return this.db.dataSource.transaction((m) => this.append(m, [pending]));
    await this.db.em(); // the request's transaction, refused once it has ended
    let queue = this.queued.get(state);
    if (!queue) {
      const events: Pending[] = (queue = []);
      this.queued.set(state, events);
      this.db.beforeCommit((m) => this.append(m, events));
    }
    queue.push(pending);
  }

  /** Appends each chain's events under that chain's lock only, chains in a fixed order (no deadlock). */
  private async append(em: EntityManager, entries: Pending[]): Promise<void> {
    const at = new Date().toISOString();
    const byChain = new Map<string, AuditContent[]>();
    for (const entry of entries) {
      const content: AuditContent = {
        at,
        actorUserId: entry.actor.userId,
        actorOrganisationId: entry.actor.organisationId,
        subjectOrganisationId: entry.subjectOrganisationId ?? null,
        action: entry.action,
        objectType: entry.objectType,
        objectId: entry.objectId ?? null,
        details: entry.details ?? {},
      };
      const chain = chainOf(content);
      byChain.set(chain, [...(byChain.get(chain) ?? []), content]);
    }
    for (const chain of [...byChain.keys()].sort()) {
      // The head of this chain, whatever row-level security lets this organisation read, read once its lock is held.
      const [head]: { seq: string | null; hash: string | null }[] = await em.query(
        `SELECT seq, hash FROM audit_chain_claim($1)`,
        [chain],
      );
      let chainSeq = head?.seq ? Number(head.seq) : 0;
      let prevHash = head?.hash ?? GENESIS_HASH;
      const rows = byChain.get(chain)!.map((c) => {
        const digest = contentHash(chain, ++chainSeq, c);
        const hash = linkHash(prevHash, digest);
        const row = [
          chain,
          chainSeq,
          c.at,
          c.actorUserId,
          c.actorOrganisationId,
          c.subjectOrganisationId,
          c.action,
          c.objectType,
          c.objectId,
          c.details,
          digest,
          prevHash,
          hash,
        ];
        prevHash = hash;
        return row;
      });
      const values = rows.map(
        (_, r) => `(${Array.from({ length: COLUMNS }, (_, c) => `$${r * COLUMNS + c + 1}`).join(', ')})`,
      );
      await em.query(
        `INSERT INTO audit_events (chain, chain_seq, at, actor_user_id, actor_organisation_id, subject_organisation_id,
                                   action, object_type, object_id, details, content_hash, prev_hash, hash)
         VALUES ${values.join(', ')}`,
        rows.flat(),
      );
    }
  }
}
