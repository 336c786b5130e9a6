import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { PersonalData, PersonalDataCategory, RETENTION } from '../common/personal-data';

export enum DataSubjectRequestKind {
  ACCESS = 'ACCESS',
  ERASURE = 'ERASURE',
  VETTING_ACCESS = 'VETTING_ACCESS',
}

/** A request of a data subject and how it was answered, for the organisation's data protection officer. */
@PersonalData({
  purpose: "Answering data subjects' requests (access, erasure), and proving it was done",
  recipients: "The organisation's data protection officer",
  retention: RETENTION.dataSubjectRequest,
  personal: {
    subject_user_id: PersonalDataCategory.ACCOUNT,
    handled_by: PersonalDataCategory.ACCOUNT,
    outcome: PersonalDataCategory.ACCOUNT,
  },
  other: ['id', 'organisation_id', 'kind', 'received_at'],
})
@Entity('data_subject_requests')
export class DataSubjectRequest {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @Column({ type: 'text' })
  kind: DataSubjectRequestKind;

  @Column({ name: 'subject_user_id', type: 'uuid', nullable: true })
  subjectUserId: string | null;

  @Column({ name: 'handled_by', type: 'uuid', nullable: true })
  handledBy: string | null;

  @Column({ name: 'received_at', type: 'timestamptz', default: () => 'now()' })
  receivedAt: Date;

  @Column({ type: 'jsonb', default: {} })
  outcome: Record<string, unknown>;
}
