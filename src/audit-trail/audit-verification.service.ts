import { Inject, Injectable } from '@nestjs/common';
import type { Actor } from '../common/actor';
import { APP_CONFIG, AppConfig } from '../config/config';
import { DatabaseService } from '../database/database.service';
import { signingKey } from '../audit/audit-chain';
import { lastPrune, verifyAuditTrail } from '../audit/audit-verifier';
import { AuditVerification } from './audit-verification.entity';
import { AuditChainVerification } from './dto/audit-trail.types';

/** Platform administrators verify every chain and checkpoint from the console; each run is kept. */
@Injectable()
export class AuditVerificationService {
  private readonly keys;

  constructor(
    private readonly db: DatabaseService,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.keys = config.auditSigningKeys.map(signingKey);
  }

  async last(): Promise<AuditChainVerification | null> {
    const [row] = await (await this.db.em()).find(AuditVerification, { order: { id: 'DESC' }, take: 1 });
    return row ? view(row) : null;
  }

  /** Runs in the request, as the platform administrator, who reads every event (row-level security). */
  async verify(actor: Actor): Promise<AuditChainVerification> {
    const em = await this.db.em();
    const result = await verifyAuditTrail(em, this.keys);
    const saved = await em.save(
      em.create(AuditVerification, {
        verifiedBy: actor.userId,
        ok: result.ok,
        events: String(result.count),
        chains: result.chains,
        checkpoints: result.checkpoints,
        failedSeq: result.ok || result.seq === null ? null : String(result.seq),
        failedCheckpoint: result.ok || result.checkpoint === null ? null : String(result.checkpoint),
        reason: result.ok ? null : result.reason,
        milliseconds: result.milliseconds,
        prunedEvents: String(result.prunes.reduce((sum, p) => sum + p.events, 0)),
        lastPrunedAt: lastPrune(result.prunes),
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
  chains: r.chains,
  checkpoints: r.checkpoints,
  failedSeq: r.failedSeq,
  failedCheckpoint: r.failedCheckpoint,
  reason: r.reason,
  milliseconds: r.milliseconds,
  prunedEvents: r.prunedEvents === null ? null : Number(r.prunedEvents),
  lastPrunedAt: r.lastPrunedAt,
});
