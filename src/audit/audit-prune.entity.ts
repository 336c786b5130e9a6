import { Column, Entity, PrimaryColumn } from 'typeorm';
import { PersonalData, RETENTION } from '../common/personal-data';

/**
 * A prune of one audit chain's events past their retention (migration AuditPruning), recorded before the
 * events go: where the chain now starts, and the checkpoint older than the retention that had sealed them.
 */
@PersonalData({
  purpose: 'Which audit events were pruned after their retention, and when, so the trail still verifies',
  recipients: 'Platform administrators',
  retention: RETENTION.trailRecord,
  personal: {},
  other: ['id', 'chain', 'through_seq', 'through_hash', 'checkpoint_id', 'retention_days', 'events', 'pruned_at'],
})
@Entity('audit_prunes')
export class AuditPrune {
  @PrimaryColumn({ type: 'bigint' })
  id: string;

  @Column({ type: 'text' })
  chain: string;

  @Column({ name: 'through_seq', type: 'bigint' })
  throughSeq: string;

  @Column({ name: 'through_hash', type: 'text' })
  throughHash: string;

  @Column({ name: 'checkpoint_id', type: 'bigint' })
  checkpointId: string;

  @Column({ name: 'retention_days', type: 'integer' })
  retentionDays: number;

  @Column({ type: 'integer' })
  events: number;

  @Column({ name: 'pruned_at', type: 'timestamptz' })
  prunedAt: Date;
}
