import { Column, Entity, PrimaryColumn } from 'typeorm';
import { PersonalData, PersonalDataCategory, RETENTION } from '../common/personal-data';

/** A published version of a bulletin, with its own marking (read by that marking). */
@PersonalData({
  purpose: 'Every published version of a bulletin, as its readers saw it',
  recipients: "The bulletin's readers, as its TLP and sharing rules admit them",
  retention: RETENTION.bulletin,
  personal: {
    content: PersonalDataCategory.BULLETIN_CONTENT,
    change_note: PersonalDataCategory.BULLETIN_CONTENT,
    published_by: PersonalDataCategory.BULLETIN_CONTENT,
    recipient_user_ids: PersonalDataCategory.BULLETIN_CONTENT,
  },
  other: [
    'bulletin_id',
    'organisation_id',
    'version',
    'published_at',
    'tlp',
    'category',
    'recipient_organisation_ids',
    'added_at',
  ],
})
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
