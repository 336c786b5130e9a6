import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { BulletinEventKind } from '../bulletins/bulletin-events.service';

/** A bulletin waiting for the next digest of a subscription. */
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
