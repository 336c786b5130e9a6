import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { PersonalData, PersonalDataCategory, RETENTION } from '../common/personal-data';

/** A verification of the audit hash chains and checkpoints run by a platform administrator, and what it found. */
@PersonalData({
  purpose: 'Results of verifying the audit trail',
  recipients: 'Platform administrators',
  retention: RETENTION.trailRecord,
  personal: { verified_by: PersonalDataCategory.AUDIT_EVENT },
  other: [
    'id',
    'verified_at',
    'ok',
    'events',
    'failed_seq',
    'reason',
    'milliseconds',
    'chains',
    'checkpoints',
    'failed_checkpoint',
    'pruned_events',
    'last_pruned_at',
  ],
})
@Entity('audit_verifications')
export class AuditVerification {
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id: string;

  @Column({ name: 'verified_at', type: 'timestamptz' })
  verifiedAt: Date;

  @Column({ name: 'verified_by', type: 'uuid', nullable: true })
  verifiedBy: string | null;

  @Column({ type: 'boolean' })
  ok: boolean;

  @Column({ type: 'bigint' })
  events: string;

  /** Null for runs before per-organisation chains. */
  @Column({ type: 'integer', nullable: true })
  chains: number | null;

  @Column({ type: 'integer', nullable: true })
  checkpoints: number | null;

  @Column({ name: 'failed_seq', type: 'bigint', nullable: true })
  failedSeq: string | null;

  @Column({ name: 'failed_checkpoint', type: 'bigint', nullable: true })
  failedCheckpoint: string | null;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @Column({ type: 'integer' })
  milliseconds: number;

  @Column({ name: 'pruned_events', type: 'bigint', nullable: true })
  prunedEvents: string | null;

  @Column({ name: 'last_pruned_at', type: 'timestamptz', nullable: true })
  lastPrunedAt: Date | null;
}
