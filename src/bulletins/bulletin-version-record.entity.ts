import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A published version of a bulletin, with its own marking (read by that marking). */
@Entity('bulletin_versions')
export class BulletinVersionRecord {
  @PrimaryColumn({ name: 'bulletin_id', type: 'uuid' })
  bulletinId: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @PrimaryColumn({ type: 'integer' })
  version: number;

  @Column({ type: 'jsonb' })
  content: Record<string, unknown>;

  @Column({ name: 'change_note', type: 'text', nullable: true })
  changeNote: string | null;

  @Column({ name: 'published_by', type: 'uuid' })
  publishedBy: string;

  @Column({ name: 'published_at', type: 'timestamptz' })
  publishedAt: Date;

  /** When feeds see it: commit order (migration FeedOrder); the database sets it. */
  @Column({ name: 'added_at', type: 'timestamptz', insert: false, update: false })
  addedAt: Date;

  @Column({ type: 'text' })
  tlp: string;

  @Column({ type: 'text' })
  category: string;

  @Column({ name: 'recipient_organisation_ids', type: 'uuid', array: true })
  recipientOrganisationIds: string[];

  @Column({ name: 'recipient_user_ids', type: 'uuid', array: true })
  recipientUserIds: string[];
}
