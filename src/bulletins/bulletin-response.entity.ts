import { Column, Entity, PrimaryColumn } from 'typeorm';
import { ResponseAction } from './bulletin-enums';
import { PersonalData, PersonalDataCategory, RETENTION } from '../common/personal-data';

/** A recipient organisation's response to a bulletin: asked for by a deadline (or not), given once. */
@PersonalData({
  purpose: 'What a recipient organisation did about a bulletin that asked for a response',
  recipients: 'The author and the responding organisation',
  retention: RETENTION.bulletin,
  personal: { note: PersonalDataCategory.BULLETIN_CONTENT, responded_by: PersonalDataCategory.BULLETIN_CONTENT },
  other: [
    'bulletin_id',
    'organisation_id',
    'author_organisation_id',
    'requested_at',
    'due_at',
    'analysts_reminded_at',
    'admins_reminded_at',
    'action',
    'responded_at',
  ],
})
@Entity('bulletin_responses')
export class BulletinResponseRecord {
  @PrimaryColumn({ name: 'bulletin_id', type: 'uuid' })
  bulletinId: string;

  @PrimaryColumn({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @Column({ name: 'author_organisation_id', type: 'uuid' })
  authorOrganisationId: string;

  @Column({ name: 'requested_at', type: 'timestamptz', nullable: true })
  requestedAt: Date | null;

  @Column({ name: 'due_at', type: 'timestamptz', nullable: true })
  dueAt: Date | null;

  /** The half-time reminder to the organisation's analysts. */
  @Column({ name: 'analysts_reminded_at', type: 'timestamptz', nullable: true })
  analystsRemindedAt: Date | null;

  /** The escalation to its admins at the deadline. */
  @Column({ name: 'admins_reminded_at', type: 'timestamptz', nullable: true })
  adminsRemindedAt: Date | null;

  @Column({ type: 'text', nullable: true })
  action: ResponseAction | null;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Column({ name: 'responded_by', type: 'uuid', nullable: true })
  respondedBy: string | null;

  @Column({ name: 'responded_at', type: 'timestamptz', nullable: true })
  respondedAt: Date | null;
}
