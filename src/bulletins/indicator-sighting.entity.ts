import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { SightingKind } from './bulletin-enums';

/** An indicator of a bulletin seen (or found a false positive) by a member, at a port and time. */
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
