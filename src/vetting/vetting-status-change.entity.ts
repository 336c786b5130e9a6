import { Column, Entity, PrimaryColumn } from 'typeorm';
import { PersonalData, PersonalDataCategory, RETENTION } from '../common/personal-data';

/** A vetting record's status history. */
@PersonalData({
  purpose: "History of a vetting record's decisions",
  recipients: 'The authority',
  retention: RETENTION.vetting,
  personal: {
    status: PersonalDataCategory.VETTING_DECISION,
    reason_code: PersonalDataCategory.VETTING_DECISION,
    valid_until: PersonalDataCategory.VETTING_DECISION,
    note: PersonalDataCategory.VETTING_DECISION,
    changed_by: PersonalDataCategory.VETTING_DECISION,
  },
  other: ['id', 'record_id', 'organisation_id', 'kind', 'changed_at'],
})
@Entity('vetting_status_changes')
export class VettingStatusChangeRecord {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'record_id', type: 'uuid' })
  recordId: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @Column({ type: 'text' })
  kind: string;

  @Column({ type: 'text' })
  status: string;

  @Column({ name: 'reason_code', type: 'text', nullable: true })
  reasonCode: string | null;

  @Column({ name: 'valid_until', type: 'timestamptz', nullable: true })
  validUntil: Date | null;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Column({ name: 'changed_by', type: 'uuid' })
  changedBy: string;

  @Column({ name: 'changed_at', type: 'timestamptz' })
  changedAt: Date;
}
