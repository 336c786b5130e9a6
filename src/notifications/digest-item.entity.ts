import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { BulletinEventKind } from '../bulletins/bulletin-events.service';
import { PersonalData, PersonalDataCategory, RETENTION } from '../common/personal-data';

/** A bulletin waiting for the next digest of a subscription. */
@PersonalData({
  purpose: "What goes into a member's daily digest",
  recipients: 'The member',
  retention: RETENTION.delivery,
  personal: { user_id: PersonalDataCategory.DELIVERY_RECORD },
  other: ['organisation_id', 'subscription_id', 'bulletin_id', 'version', 'kind', 'created_at', 'mailed_on'],
})
@Entity('digest_items')
export class DigestItem {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId: string;

  @PrimaryColumn({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @Column({ name: 'subscription_id', type: 'uuid' })
  subscriptionId: string;

  @PrimaryColumn({ name: 'bulletin_id', type: 'uuid' })
  bulletinId: string;

  @PrimaryColumn({ type: 'integer' })
  version: number;

  @PrimaryColumn({ type: 'text' })
  kind: BulletinEventKind;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'mailed_on', type: 'date', nullable: true })
  mailedOn: string | null;
}
