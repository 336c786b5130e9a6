import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A recipient organisation acknowledged a bulletin (once). */
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
