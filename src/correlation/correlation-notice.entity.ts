import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

import { CorrelationKind } from '../bulletins/bulletin-events.service';
import { PersonalData, PersonalDataCategory, RETENTION } from '../common/personal-data';

/**
 * An author told that another bulletin relates to theirs. Only the fact is kept: what is shown (the
 * other bulletin, the shared values) is read under the author's ability when they look, so a notice
 * of a bulletin they may no longer read shows nothing.
 */
@PersonalData({
  purpose: 'Telling an author that a bulletin shares values with another',
  recipients: 'The member',
  retention: RETENTION.delivery,
  personal: { user_id: PersonalDataCategory.DELIVERY_RECORD },
  other: ['id', 'organisation_id', 'bulletin_id', 'related_bulletin_id', 'kind', 'created_at', 'seen_at'],
})
@Entity('correlation_notices')
export class CorrelationNoticeRecord {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @Column({ name: 'bulletin_id', type: 'uuid' })
  bulletinId: string;

  @Column({ name: 'related_bulletin_id', type: 'uuid' })
  relatedBulletinId: string;

  @Column({ type: 'text' })
  kind: CorrelationKind;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'seen_at', type: 'timestamptz', nullable: true })
  seenAt: Date | null;
}
