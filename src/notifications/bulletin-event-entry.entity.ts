import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A published, revised or retracted bulletin, kept a week so real-time subscribers can resume. */
@Entity('bulletin_events')
export class BulletinEventEntry {
  @PrimaryColumn({ type: 'bigint' })
  seq: string;

  @Column({ type: 'text' })
  kind: string;

  @Column({ name: 'bulletin_id', type: 'uuid' })
  bulletinId: string;

  @Column({ type: 'integer' })
  version: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
