import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { BulletinEventKind } from './bulletin-events.service';

/** A published, revised or retracted bulletin, kept a week so real-time subscribers can resume. */
@Entity('bulletin_events')
export class BulletinEventEntry {
  @PrimaryColumn({ type: 'bigint' })
  seq: string;

  @Column({ type: 'text' })
  kind: BulletinEventKind;

  @Column({ name: 'bulletin_id', type: 'uuid' })
  bulletinId: string;

  @Column({ type: 'integer' })
  version: number;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
