import { Column, Entity, PrimaryColumn } from 'typeorm';

/** The version of a bulletin a person last opened: the feed's "new" and "revised since you read it". */
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
