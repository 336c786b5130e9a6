import { Column, Entity, PrimaryColumn } from 'typeorm';
import { PersonalData, PersonalDataCategory, RETENTION } from '../common/personal-data';

/** The version of a bulletin a person last opened: the feed's "new" and "revised since you read it". */
@PersonalData({
  purpose: 'Which member read which version of a bulletin (read receipts)',
  recipients: 'The member; the author organisation sees counts',
  retention: RETENTION.bulletin,
  personal: { user_id: PersonalDataCategory.BULLETIN_CONTENT },
  other: ['bulletin_id', 'version', 'read_at'],
})
@Entity('bulletin_reads')
export class BulletinRead {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @PrimaryColumn({ name: 'bulletin_id', type: 'uuid' })
  bulletinId: string;

  @Column({ type: 'int' })
  version: number;

  @Column({ name: 'read_at', type: 'timestamptz' })
  readAt: Date;
}
