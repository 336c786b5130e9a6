import { Injectable } from '@nestjs/common';
import type { Actor } from '../common/actor';
import { DatabaseService } from '../database/database.service';
import { AuditVerification } from './audit-verification.entity';
import { verifyAuditChain } from '../audit/audit-verifier';
import { AuditChainVerification } from './dto/audit-trail.types';

/** Platform administrators verify the whole hash chain from the console; each run is kept. */
@Injectable()
export class AuditVerificationService {
  constructor(private readonly db: DatabaseService) {}

  async last(): Promise<AuditChainVerification | null> {
    const [row] = await (await this.db.em()).find(AuditVerification, { order: { id: 'DESC' }, take: 1 });
    return row ? view(row) : null;
  }

  /** Runs in the request, as the platform administrator, who reads every event (row-level security). */
  async verify(actor: Actor): Promise<AuditChainVerification> {
    const em = await this.db.em();
    const result = await verifyAuditChain(em);
    const saved = await em.save(
      em.create(AuditVerification, {
        verifiedBy: actor.userId,
        ok: result.ok,
        events: String(result.count),
        failedSeq: result.ok ? null : String(result.seq),
        reason: result.ok ? null : result.reason,
        milliseconds: result.milliseconds,
      }),
    );
    return view(await em.findOneByOrFail(AuditVerification, { id: saved.id }));
  }
}

const view = (r: AuditVerification): AuditChainVerification => ({
  verifiedAt: r.verifiedAt,
  verifiedBy: r.verifiedBy,
  ok: r.ok,
  events: Number(r.events),
  failedSeq: r.failedSeq,
  reason: r.reason,
  milliseconds: r.milliseconds,
});
