import { Column, Entity, PrimaryColumn } from 'typeorm';
import { PersonalData, PersonalDataCategory, RETENTION } from '../common/personal-data';

/** A recipient organisation acknowledged a bulletin (once). */
@PersonalData({
  purpose: 'Which member acknowledged a bulletin, with their note',
  recipients: 'The author organisation and the acknowledging organisation',
  retention: RETENTION.bulletin,
  personal: { user_id: PersonalDataCategory.BULLETIN_CONTENT, note: PersonalDataCategory.BULLETIN_CONTENT },
  other: ['bulletin_id', 'organisation_id', 'created_at'],
})
@Entity('bulletin_acknowledgements')
export class BulletinAcknowledgement {
  @PrimaryColumn({ name: 'bulletin_id', type: 'uuid' })
  bulletinId: string;

  @PrimaryColumn({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
