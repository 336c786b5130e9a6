import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { BulletinEventKind } from './bulletin-events.service';
import { PersonalData, RETENTION } from '../common/personal-data';

/** A published, revised or retracted bulletin, kept a week so real-time subscribers can resume. */
@PersonalData({
  purpose: 'Replay of real-time bulletin events after a reconnect',
  recipients: 'Nobody directly: subscribers receive events as their ability admits',
  retention: RETENTION.bulletinEvent,
  personal: {},
  other: ['seq', 'kind', 'bulletin_id', 'version', 'created_at'],
})
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
