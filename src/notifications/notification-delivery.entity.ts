import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { BulletinEventKind } from '../bulletins/bulletin-events.service';
import { PersonalData, PersonalDataCategory, RETENTION } from '../common/personal-data';

/** One e-mail to one recipient for one bulletin event: sent once, retried, or failed. */
@PersonalData({
  purpose: 'Proof that a member was told about a bulletin, and delivery failures',
  recipients: "The member; their organisation's admins",
  retention: RETENTION.delivery,
  personal: {
    user_id: PersonalDataCategory.DELIVERY_RECORD,
    message_id: PersonalDataCategory.DELIVERY_RECORD,
    last_error: PersonalDataCategory.DELIVERY_RECORD,
  },
  other: [
    'id',
    'bulletin_id',
    'version',
    'kind',
    'organisation_id',
    'subscription_id',
    'channel',
    'status',
    'attempts',
    'created_at',
    'sent_at',
  ],
})
@Entity('notification_deliveries')
export class NotificationDelivery {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ name: 'bulletin_id', type: 'uuid' })
  bulletinId: string;

  @Column({ type: 'integer' })
  version: number;

  @Column({ type: 'text' })
  kind: BulletinEventKind;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @Column({ name: 'subscription_id', type: 'uuid' })
  subscriptionId: string;

  @Column({ type: 'text' })
  channel: string;

  @Column({ type: 'text' })
  status: string;

  @Column({ type: 'integer' })
  attempts: number;

  @Column({ name: 'message_id', type: 'text', nullable: true })
  messageId: string | null;

  @Column({ name: 'last_error', type: 'text', nullable: true })
  lastError: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true })
  sentAt: Date | null;
}
