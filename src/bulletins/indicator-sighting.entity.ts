import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { SightingKind } from './bulletin-enums';
import { PersonalData, PersonalDataCategory, RETENTION } from '../common/personal-data';

/** An indicator of a bulletin seen (or found a false positive) by a member, at a port and time. */
@PersonalData({
  purpose: "Where and when a bulletin's value was seen again, by whom",
  recipients: 'The author organisation and the reporting organisation',
  retention: RETENTION.sighting,
  personal: {
    user_id: PersonalDataCategory.SIGHTING,
    value: PersonalDataCategory.SIGHTING,
    search_key: PersonalDataCategory.SIGHTING,
    note: PersonalDataCategory.SIGHTING,
  },
  other: [
    'id',
    'bulletin_id',
    'author_organisation_id',
    'organisation_id',
    'indicator_type',
    'kind',
    'port',
    'seen_at',
    'created_at',
  ],
})
@Entity('indicator_sightings')
export class IndicatorSightingRecord {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ name: 'bulletin_id', type: 'uuid' })
  bulletinId: string;

  @Column({ name: 'author_organisation_id', type: 'uuid' })
  authorOrganisationId: string;

  @Column({ name: 'organisation_id', type: 'uuid' })
  organisationId: string;

  @Column({ name: 'user_id', type: 'uuid' })
  userId: string;

  @Column({ name: 'indicator_type', type: 'text' })
  indicatorType: string;

  @Column({ type: 'text' })
  value: string;

  @Column({ name: 'search_key', type: 'text' })
  searchKey: string;

  @Column({ type: 'text' })
  kind: SightingKind;

  @Column({ type: 'text' })
  port: string;

  @Column({ name: 'seen_at', type: 'timestamptz' })
  seenAt: Date;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;
}
