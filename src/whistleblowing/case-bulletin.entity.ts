import { Column, Entity, PrimaryColumn } from 'typeorm';
import { PersonalData, PersonalDataCategory, RETENTION } from '../common/personal-data';

/** A draft bulletin started from a case: the link only the case's organisation reads. */
@PersonalData({
  purpose: 'Which case a draft bulletin was made from',
  recipients: 'The case handlers of the organisation',
  retention: RETENTION.case,
  personal: { created_by: PersonalDataCategory.CASE_CONTENT },
  other: ['case_id', 'bulletin_id', 'organisation_id', 'created_at'],
})
@Entity('case_bulletins')
export class CaseBulletin {
  @PrimaryColumn({ name: 'case_id', type: 'uuid' })
  caseId: string;

  @PrimaryColumn({ name: 'bulletin_id', type: 'uuid' })
  bulletinId: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @Column({ name: 'created_by', type: 'uuid' })
  createdBy: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
